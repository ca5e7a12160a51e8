import type { CandidacyCase, OralDrug, TreatmentOutcome } from '../../shared/clinical/candidacy';
import {
  CAUTION_WORDS,
  CONTRAINDICATION_WORDS,
  DIAGNOSIS_WORDS,
  LIMITATION_WORDS,
  ORAL_DRUG_WORDS,
  OUTCOME_WORDS,
} from './candidacy-words';

type Oral = CandidacyCase['firstLine']['oral'][number];
type OralOutcome = Oral['outcome'];

export interface CaseFormProps {
  value: CandidacyCase;
  onChange(next: CandidacyCase): void;
  disabled?: boolean;
}

const keys = <T extends object>(o: T) => Object.keys(o) as (keyof T & string)[];

/** A whole number typed in a box: the text is kept as typed only while it parses; empty reads as 0. */
function NumberField(props: {
  id: string;
  label: string;
  unit: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  disabled?: boolean;
  onChange(v: number): void;
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>
        {props.label} ({props.unit})
      </label>
      <input
        id={props.id}
        type="number"
        inputMode="decimal"
        min={props.min}
        max={props.max}
        step={props.step ?? 1}
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => {
          const v = e.currentTarget.value === '' ? 0 : Number(e.currentTarget.value);
          if (Number.isFinite(v)) props.onChange(v);
        }}
      />
    </div>
  );
}

/** The structured case of the candidacy decision: diagnosis, severity, first-line treatments, limits. */
export function CaseForm({ value: c, onChange, disabled }: CaseFormProps) {
  const set = (patch: Partial<CandidacyCase>) => onChange({ ...c, ...patch });
  const setFirstLine = (patch: Partial<CandidacyCase['firstLine']>) =>
    set({ firstLine: { ...c.firstLine, ...patch } });
  const oralOf = (drug: OralDrug): Oral | undefined => c.firstLine.oral.find((o) => o.drug === drug);
  const setOral = (drug: OralDrug, next: Oral | null) => {
    const others = c.firstLine.oral.filter((o) => o.drug !== drug);
    setFirstLine({ oral: next ? [...others, next] : others });
  };

  return (
    <fieldset className="case-form" disabled={disabled}>
      <legend>The patient</legend>
      <div className="field">
        <label htmlFor="case-diagnosis">Diagnosis</label>
        <select
          id="case-diagnosis"
          value={c.diagnosis}
          onChange={(e) => set({ diagnosis: e.currentTarget.value as CandidacyCase['diagnosis'] })}
        >
          {keys(DIAGNOSIS_WORDS).map((d) => (
            <option key={d} value={d}>
              {DIAGNOSIS_WORDS[d]}
            </option>
          ))}
        </select>
      </div>
      <NumberField
        id="case-months"
        label="Time since onset or injury"
        unit="months"
        value={c.monthsSinceOnset}
        min={0}
        max={1200}
        onChange={(v) => set({ monthsSinceOnset: Math.round(v) })}
      />
      <NumberField
        id="case-age"
        label="Age"
        unit="years"
        value={c.ageYears}
        min={0}
        max={120}
        onChange={(v) => set({ ageYears: v })}
      />
      <NumberField
        id="case-weight"
        label="Weight"
        unit="kg"
        value={c.weightKg}
        min={1}
        max={350}
        step={0.5}
        onChange={(v) => set({ weightKg: v })}
      />
      <div className="field">
        <label htmlFor="case-severity">Severity</label>
        <select
          id="case-severity"
          value={c.severity}
          onChange={(e) => set({ severity: e.currentTarget.value as CandidacyCase['severity'] })}
        >
          <option value="mild">Mild</option>
          <option value="moderate">Moderate</option>
          <option value="severe">Severe</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="case-distribution">Distribution</label>
        <select
          id="case-distribution"
          value={c.distribution}
          onChange={(e) => set({ distribution: e.currentTarget.value as CandidacyCase['distribution'] })}
        >
          <option value="focal">Focal (a few muscle groups)</option>
          <option value="generalized">Generalized (both legs, trunk)</option>
        </select>
      </div>

      <fieldset>
        <legend>First-line treatments tried</legend>
        {(
          [
            ['positioningAndStretching', 'Positioning and stretching'],
            ['botulinumToxin', 'Botulinum toxin injections'],
            ['physicalModalities', 'Physical modalities (physiotherapy, splinting, casting)'],
          ] as const
        ).map(([k, label]) => (
          <div className="field" key={k}>
            <label htmlFor={`case-${k}`}>{label}</label>
            <select
              id={`case-${k}`}
              value={c.firstLine[k]}
              onChange={(e) => setFirstLine({ [k]: e.currentTarget.value as TreatmentOutcome })}
            >
              {keys(OUTCOME_WORDS).map((o) => (
                <option key={o} value={o}>
                  {OUTCOME_WORDS[o]}
                </option>
              ))}
            </select>
          </div>
        ))}
        {keys(ORAL_DRUG_WORDS).map((drug) => {
          const o = oralOf(drug);
          return (
            <div className="oral-row" key={drug}>
              <div className="field">
                <label htmlFor={`case-oral-${drug}`}>{ORAL_DRUG_WORDS[drug]}</label>
                <select
                  id={`case-oral-${drug}`}
                  value={o?.outcome ?? 'notTried'}
                  onChange={(e) => {
                    const v = e.currentTarget.value as OralOutcome | 'notTried';
                    setOral(
                      drug,
                      v === 'notTried'
                        ? null
                        : {
                            drug,
                            maxDailyDoseMg: o?.maxDailyDoseMg ?? 0,
                            outcome: v,
                            sideEffects: o?.sideEffects ?? [],
                          },
                    );
                  }}
                >
                  {keys(OUTCOME_WORDS).map((x) => (
                    <option key={x} value={x}>
                      {OUTCOME_WORDS[x]}
                    </option>
                  ))}
                </select>
              </div>
              {o && (
                <>
                  <NumberField
                    id={`case-oral-${drug}-dose`}
                    label={`${ORAL_DRUG_WORDS[drug]}: highest daily dose reached`}
                    unit="mg/day"
                    value={o.maxDailyDoseMg}
                    min={0}
                    max={2000}
                    onChange={(v) => setOral(drug, { ...o, maxDailyDoseMg: v })}
                  />
                  <div className="field">
                    <label htmlFor={`case-oral-${drug}-effects`}>
                      {ORAL_DRUG_WORDS[drug]}: side effects that limited the dose (comma-separated)
                    </label>
                    <input
                      id={`case-oral-${drug}-effects`}
                      type="text"
                      maxLength={200}
                      value={o.sideEffects.join(', ')}
                      onChange={(e) =>
                        setOral(drug, {
                          ...o,
                          sideEffects: e.currentTarget.value
                            .split(',')
                            .map((s) => s.trim().slice(0, 80))
                            .filter(Boolean)
                            .slice(0, 10),
                        })
                      }
                    />
                  </div>
                </>
              )}
            </div>
          );
        })}
      </fieldset>

      <fieldset>
        <legend>What the spasticity limits</legend>
        {keys(LIMITATION_WORDS).map((k) => (
          <div className="check" key={k}>
            <input
              id={`case-limit-${k}`}
              type="checkbox"
              checked={c.functionalLimitations.includes(k)}
              onChange={(e) =>
                set({
                  functionalLimitations: e.currentTarget.checked
                    ? [...c.functionalLimitations, k]
                    : c.functionalLimitations.filter((x) => x !== k),
                })
              }
            />
            <label htmlFor={`case-limit-${k}`}>{LIMITATION_WORDS[k]}</label>
          </div>
        ))}
      </fieldset>

      <fieldset>
        <legend>Contraindications</legend>
        {keys(CONTRAINDICATION_WORDS).map((k) => (
          <div className="check" key={k}>
            <input
              id={`case-contra-${k}`}
              type="checkbox"
              checked={c.contraindications[k]}
              onChange={(e) =>
                set({ contraindications: { ...c.contraindications, [k]: e.currentTarget.checked } })
              }
            />
            <label htmlFor={`case-contra-${k}`}>{CONTRAINDICATION_WORDS[k]}</label>
          </div>
        ))}
      </fieldset>

      <fieldset>
        <legend>Cautions</legend>
        {keys(CAUTION_WORDS).map((k) => (
          <div className="check" key={k}>
            <input
              id={`case-caution-${k}`}
              type="checkbox"
              checked={c.cautions[k]}
              onChange={(e) => set({ cautions: { ...c.cautions, [k]: e.currentTarget.checked } })}
            />
            <label htmlFor={`case-caution-${k}`}>{CAUTION_WORDS[k]}</label>
          </div>
        ))}
      </fieldset>
    </fieldset>
  );
}
