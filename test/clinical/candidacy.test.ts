import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  assessCandidacy,
  CANDIDACY_RULES,
  CandidacyInputError,
  SEED,
  type CandidacyCase,
} from '../../src/shared/clinical/candidacy';

/** The multiple-sclerosis candidate of the issue: generalized, severe, oral baclofen failed at 80 mg/day. */
function msCase(): CandidacyCase {
  return {
    diagnosis: 'multipleSclerosis',
    monthsSinceOnset: 120,
    ageYears: 46,
    weightKg: 70,
    severity: 'severe',
    distribution: 'generalized',
    firstLine: {
      positioningAndStretching: 'partial',
      oral: [
        { drug: 'baclofen', maxDailyDoseMg: 80, outcome: 'partial', sideEffects: [] },
        { drug: 'tizanidine', maxDailyDoseMg: 12, outcome: 'notTolerated', sideEffects: ['drowsiness'] },
      ],
      botulinumToxin: 'notTried',
      physicalModalities: 'partial',
    },
    functionalLimitations: ['pain', 'positioning', 'caregiverBurden'],
    contraindications: {
      hypersensitivityToBaclofen: false,
      activeInfection: false,
      insufficientBodySize: false,
      pumpDeeperThan25mm: false,
      spinalAnomalies: false,
    },
    cautions: {
      intercurrentProblem: false,
      cannotReturnForRefills: false,
      unrealisticGoals: false,
      reliesOnSpasticity: false,
    },
  };
}

const rules = (d: ReturnType<typeof assessCandidacy>): string[] => d.reasons.map((r) => r.rule);
const seed = readFileSync(new URL('../../docs/itb-indications.txt', import.meta.url), 'utf8').replace(
  /\s+\d(?=[\s,]|$)/g,
  '',
);

describe('assessCandidacy', () => {
  it('multiple sclerosis, generalized, oral baclofen failed at its maximum: consider a screening trial at 50 mcg', () => {
    const d = assessCandidacy(msCase());
    expect(d.recommendation).toBe('considerScreeningTrial');
    expect(d.firstScreeningDoseMcg).toBe(50);
    expect(rules(d)).toEqual(
      expect.arrayContaining([
        'FUNCTIONAL_LIMITATION',
        'ORAL_FAILED',
        'GENERALIZED_SEVERE',
        'SPINAL_INDICATION',
        'SCREENING_TRIAL',
      ]),
    );
    expect(d.reasons.find((r) => r.rule === 'ORAL_FAILED')!.text).toContain(
      'oral baclofen insufficient at 80 mg/day',
    );
    expect(d.reasons.find((r) => r.rule === 'ORAL_FAILED')!.text).toContain(
      'tizanidine not tolerated at 12 mg/day (drowsiness)',
    );
    expect(d.reasons.every((r) => r.weight !== 'blocks')).toBe(true);
  });

  it('a child under 20 kg, or a patient relying on the spasticity, starts at 25 mcg', () => {
    const child = { ...msCase(), diagnosis: 'cerebralPalsy' as const, ageYears: 6, weightKg: 18 };
    const d = assessCandidacy(child);
    expect(d.recommendation).toBe('considerScreeningTrial');
    expect(d.firstScreeningDoseMcg).toBe(25);
    expect(rules(d)).toContain('SMALL_PATIENT_25');
    const relies = { ...msCase(), cautions: { ...msCase().cautions, reliesOnSpasticity: true } };
    expect(assessCandidacy(relies).firstScreeningDoseMcg).toBe(25);
  });

  it('hypersensitivity, or an implant the body cannot take: contraindicated, whatever else', () => {
    const h = msCase();
    h.contraindications.hypersensitivityToBaclofen = true;
    const d = assessCandidacy(h);
    expect(d.recommendation).toBe('contraindicated');
    expect(rules(d)).toEqual(['HYPERSENSITIVITY']);
    for (const k of ['insufficientBodySize', 'pumpDeeperThan25mm', 'spinalAnomalies'] as const) {
      const c = msCase();
      c.contraindications[k] = true;
      const r = assessCandidacy(c);
      expect(r.recommendation).toBe('contraindicated');
      expect(rules(r)).toEqual(['IMPLANT_CONTRAINDICATED']);
      expect(r.firstScreeningDoseMcg).toBeNull();
    }
  });

  it('spinal cord injury with an infected pressure ulcer: not yet, reconsider when it is healed', () => {
    const c = { ...msCase(), diagnosis: 'spinalCordInjury' as const };
    c.contraindications = { ...c.contraindications, activeInfection: true };
    const d = assessCandidacy(c);
    expect(d.recommendation).toBe('notYet');
    expect(rules(d)).toContain('ACTIVE_INFECTION');
    expect(d.reconsiderWhen).toContain('infection is treated and healed');
  });

  it('post-stroke at 2 months: not yet, reconsider at 3 months; and the FDA-label note is always shown for stroke', () => {
    const c = { ...msCase(), diagnosis: 'stroke' as const, monthsSinceOnset: 2 };
    const d = assessCandidacy(c);
    expect(d.recommendation).toBe('notYet');
    expect(d.reconsiderAtMonthsSinceOnset).toBe(3);
    expect(rules(d)).toEqual(expect.arrayContaining(['STROKE_TOO_EARLY', 'STROKE_FDA_NOTE']));
    expect(d.reasons.find((r) => r.rule === 'STROKE_FDA_NOTE')!.quote).toContain(
      'FDA label does not specifically indicate baclofen for stroke',
    );
  });

  it('post-stroke at 3, 4 and 6 months, generalized and refractory: a screening trial (early window noted before 6)', () => {
    for (const months of [3, 4, 5]) {
      const d = assessCandidacy({ ...msCase(), diagnosis: 'stroke', monthsSinceOnset: months });
      expect(d.recommendation).toBe('considerScreeningTrial');
      const w = d.reasons.find((r) => r.rule === 'STROKE_EARLY_WINDOW')!;
      expect(w.weight).toBe('note');
      expect(rules(d)).toContain('STROKE_FDA_NOTE');
      expect(rules(d)).not.toContain('SPINAL_INDICATION');
    }
    const late = assessCandidacy({ ...msCase(), diagnosis: 'stroke', monthsSinceOnset: 6 });
    expect(late.recommendation).toBe('considerScreeningTrial');
    expect(late.reasons.find((r) => r.rule === 'STROKE_EARLY_WINDOW')!.weight).toBe('supports');
  });

  it('focal post-stroke spasticity at two months: too early (botulinum toxin is the treatment meanwhile)', () => {
    const c = {
      ...msCase(),
      diagnosis: 'stroke' as const,
      monthsSinceOnset: 2,
      distribution: 'focal' as const,
    };
    expect(assessCandidacy(c).recommendation).toBe('notYet');
    // At 4 months, still focal and no toxin tried: botulinum toxin first.
    const later = assessCandidacy({ ...c, monthsSinceOnset: 4 });
    expect(later.recommendation).toBe('firstLineFirst');
    expect(later.tryFirst).toContain('botulinumToxin');
    // Toxin failed, still focal: not yet (the therapy is for generalized spasticity).
    const failed = assessCandidacy({
      ...c,
      monthsSinceOnset: 4,
      firstLine: { ...c.firstLine, botulinumToxin: 'ineffective' },
    });
    expect(failed.recommendation).toBe('notYet');
    expect(rules(failed)).toContain('FOCAL_NOT_GENERALIZED');
    expect(failed.reconsiderWhen).toContain('generalized');
  });

  it('traumatic brain injury before one year, and a child under 4: not yet, with the month to reconsider', () => {
    const tbi = assessCandidacy({ ...msCase(), diagnosis: 'traumaticBrainInjury', monthsSinceOnset: 7 });
    expect(tbi.recommendation).toBe('notYet');
    expect(tbi.reconsiderAtMonthsSinceOnset).toBe(12);
    const toddler = assessCandidacy({
      ...msCase(),
      diagnosis: 'cerebralPalsy',
      ageYears: 3,
      weightKg: 14,
      monthsSinceOnset: 36,
    });
    expect(toddler.recommendation).toBe('notYet');
    expect(rules(toddler)).toContain('AGE_UNDER_4');
    expect(toddler.reconsiderAtMonthsSinceOnset).toBe(48);
  });

  it('not clinically stable, or no way to return for refills: not yet', () => {
    for (const k of ['intercurrentProblem', 'cannotReturnForRefills'] as const) {
      const c = msCase();
      c.cautions[k] = true;
      expect(assessCandidacy(c).recommendation).toBe('notYet');
    }
  });

  it('moderate spasticity, or no functional limitation: not yet', () => {
    expect(assessCandidacy({ ...msCase(), severity: 'moderate' }).recommendation).toBe('notYet');
    const none = assessCandidacy({ ...msCase(), functionalLimitations: [] });
    expect(none.recommendation).toBe('notYet');
    expect(rules(none)).toContain('NO_FUNCTIONAL_LIMITATION');
  });

  it('first-line treatments not yet exhausted: try them first, naming each', () => {
    const noOral = assessCandidacy({ ...msCase(), firstLine: { ...msCase().firstLine, oral: [] } });
    expect(noOral.recommendation).toBe('firstLineFirst');
    expect(noOral.tryFirst).toEqual(['oralBaclofen']);

    const low = msCase();
    low.firstLine.oral = [{ drug: 'baclofen', maxDailyDoseMg: 30, outcome: 'partial', sideEffects: [] }];
    const d = assessCandidacy(low);
    expect(d.recommendation).toBe('firstLineFirst');
    expect(rules(d)).toContain('SPINAL_ORAL_BACLOFEN_REQUIRED');
    expect(d.reasons.find((r) => r.rule === 'SPINAL_ORAL_BACLOFEN_REQUIRED')!.text).toContain('30 mg/day');

    // Spinal origin: tizanidine failure alone does not stand for oral baclofen.
    const tiz = msCase();
    tiz.firstLine.oral = [
      { drug: 'tizanidine', maxDailyDoseMg: 36, outcome: 'ineffective', sideEffects: [] },
    ];
    expect(assessCandidacy(tiz).tryFirst).toEqual(['oralBaclofen']);
    // Cerebral origin: any oral drug failed at its maximum is enough.
    expect(
      assessCandidacy({ ...tiz, diagnosis: 'cerebralPalsy', ageYears: 12, weightKg: 35 }).recommendation,
    ).toBe('considerScreeningTrial');
    // Cerebral origin below the maximum: raise the dose first.
    const cp = { ...tiz, diagnosis: 'cerebralPalsy' as const, ageYears: 12, weightKg: 35 };
    cp.firstLine = {
      ...cp.firstLine,
      oral: [{ drug: 'dantrolene', maxDailyDoseMg: 100, outcome: 'partial', sideEffects: [] }],
    };
    const below = assessCandidacy(cp);
    expect(below.recommendation).toBe('firstLineFirst');
    expect(rules(below)).toContain('ORAL_BELOW_MAXIMUM');

    const effective = msCase();
    effective.firstLine.oral = [
      { drug: 'baclofen', maxDailyDoseMg: 40, outcome: 'effective', sideEffects: [] },
    ];
    expect(rules(assessCandidacy(effective))).toContain('ORAL_EFFECTIVE');

    const noStretch = msCase();
    noStretch.firstLine.positioningAndStretching = 'notTried';
    expect(assessCandidacy(noStretch).tryFirst).toEqual(['positioningAndStretching']);

    // Physical modalities not tried: a note, not a delay (best-practice panel).
    const noModalities = msCase();
    noModalities.firstLine.physicalModalities = 'notTried';
    const m = assessCandidacy(noModalities);
    expect(m.recommendation).toBe('considerScreeningTrial');
    expect(m.reasons.find((r) => r.rule === 'MODALITIES_ALONGSIDE')!.weight).toBe('note');
  });

  it('every reason quotes its source; every quote from the clinical document is in it, word for word', () => {
    for (const [rule, { quote, source }] of Object.entries(CANDIDACY_RULES)) {
      expect(quote.length, rule).toBeGreaterThan(10);
      expect(source.length, rule).toBeGreaterThan(5);
      if (source === SEED) {
        for (const part of quote.split(/ \.\.\. |: |; |, /)) {
          const words = part.replace(/\.\.\.\s*/g, '').trim();
          if (words.length > 3) expect(seed, `${rule}: "${words}"`).toContain(words);
        }
      }
    }
  });

  it('every rule is documented in docs/clinical-model.md (Candidacy)', () => {
    const doc = readFileSync(new URL('../../docs/clinical-model.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## Candidacy'));
    expect(section.startsWith('## Candidacy')).toBe(true);
    for (const rule of Object.keys(CANDIDACY_RULES)) expect(section, rule).toContain(`\`${rule}\``);
  });

  it('bad input is refused with an error naming the field, never a recommendation', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.record({
            field: fc.constantFrom(
              'diagnosis',
              'monthsSinceOnset',
              'ageYears',
              'weightKg',
              'severity',
              'firstLine',
            ),
            value: fc.oneof(
              fc.string(),
              fc.constant(-1),
              fc.constant(Number.NaN),
              fc.constant(null),
              fc.constant(1e9),
            ),
          }),
        ),
        (bad) => {
          const input =
            bad &&
            typeof bad === 'object' &&
            'field' in bad &&
            'value' in bad &&
            Object.keys(bad).length === 2
              ? { ...msCase(), [bad.field as string]: bad.value }
              : bad;
          let err: unknown;
          try {
            assessCandidacy(input);
          } catch (e) {
            err = e;
          }
          // A mutated field may by chance be valid (e.g. severity "mild"): then there is no error.
          const valid = (() => {
            try {
              return !!assessCandidacy(input);
            } catch {
              return false;
            }
          })();
          if (valid) return;
          expect(err).toBeInstanceOf(CandidacyInputError);
          const msg = (err as Error).message;
          expect(msg).toMatch(/^The case cannot be assessed: /);
          if (input && typeof input === 'object' && 'field' in (bad as object))
            expect(msg).toContain((bad as { field: string }).field);
        },
      ),
      { numRuns: 300 },
    );
    expect(() => assessCandidacy({ ...msCase(), extra: 1 })).toThrow(/Unrecognized key|extra/);
    expect(() => assessCandidacy({ ...msCase(), weightKg: 0 })).toThrow(/weightKg/);
  });
});
