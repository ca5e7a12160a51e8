/**
 * The debrief model: every expectation ticked or crossed with its time and evidence (critical errors
 * first), the score, the outcome (any critical expectation missed fails the case whatever the score), the
 * event log of what happened (alarms, the learner's actions, messages, the case's events) and the chart's
 * series. Pure: built from the scenario, the recorded facts and the sampled series.
 */
import type { Fact } from './facts';
import { describeFact, evaluateAll } from './evaluate';
import type { Scenario } from './schema';

import type { Series } from '../../shared/training-case';
export type { Debrief, DebriefEvent, Series } from '../../shared/training-case';
import type { Debrief, DebriefEvent } from '../../shared/training-case';

export const SERIES_KEYS = [
  'programmedMcgPerDay',
  'deliveredMcgPerDay',
  'reservoirCalculatedMl',
  'reservoirTrueMl',
  'ashworth',
  'pennSpasms',
  'painNrs',
  'awakeningsPerNight',
  'dailyActivities',
  'caregiverBurden',
  'withdrawalStage',
  'overdoseStage',
] as const satisfies readonly (keyof Series)[];

export function emptySeries(): Series {
  return {
    t: [],
    programmedMcgPerDay: [],
    deliveredMcgPerDay: [],
    reservoirCalculatedMl: [],
    reservoirTrueMl: [],
    ashworth: [],
    pennSpasms: [],
    painNrs: [],
    awakeningsPerNight: [],
    dailyActivities: [],
    caregiverBurden: [],
    withdrawalStage: [],
    overdoseStage: [],
  };
}

/** At most this many samples are kept; beyond it every other one is dropped (the chart stays readable). */
export const MAX_SAMPLES = 4096;

/** Append one sample, halving the series (every other sample) when it is full. Mutates `s`. */
export function pushSample(
  s: Series,
  sample: { t: number } & Record<(typeof SERIES_KEYS)[number], number>,
): void {
  if (s.t.length >= MAX_SAMPLES) {
    const keep = (a: number[]): number[] => a.filter((_, i) => i % 2 === 1);
    s.t = keep(s.t);
    for (const k of SERIES_KEYS) s[k] = keep(s[k]);
  }
  // A case saved before a series existed resumes with that series empty before the restart (null in JSON).
  for (const k of SERIES_KEYS) if (!Array.isArray(s[k])) s[k] = s.t.map(() => NaN);
  s.t.push(sample.t);
  for (const k of SERIES_KEYS) s[k].push(sample[k]);
}

const LOGGED: ReadonlySet<Fact['kind']> = new Set([
  'start',
  'end',
  'alarm',
  'command',
  'intervention',
  'bedside',
  'withdrawal',
  'overdose',
  'timeline',
  'handler',
  'message',
  'session',
]);

function actorOf(f: Fact): DebriefEvent['actor'] {
  switch (f.kind) {
    case 'command':
    case 'bedside':
      return 'learner';
    case 'intervention':
      return f.by === 'learner' ? 'learner' : 'patient';
    case 'alarm':
    case 'tone':
    case 'pump':
      return 'pump';
    case 'withdrawal':
    case 'overdose':
      return 'patient';
    case 'session':
      return 'programmer';
    default:
      return 'case';
  }
}

/** At most this many events in the debrief's log (the first ones: a case that floods is cut, and says so). */
export const MAX_DEBRIEF_EVENTS = 2000;

export function buildDebrief(
  s: Scenario,
  facts: readonly Fact[],
  series: Series,
  o: { startTime: number; endTime: number; now: number; ended: boolean; endReason: string | null },
): Debrief {
  const results = evaluateAll(s, facts, o);
  const ordered = [...results.filter((r) => r.critical), ...results.filter((r) => !r.critical)];
  const total = results.reduce((a, r) => a + r.weight, 0);
  const met = results.filter((r) => r.status === 'met').reduce((a, r) => a + r.weight, 0);
  const criticalMissed = results.filter((r) => r.critical && r.status === 'missed').map((r) => r.id);
  const outcome: Debrief['outcome'] =
    criticalMissed.length > 0 ? 'failed' : !o.ended ? 'inProgress' : 'passed';
  const events: DebriefEvent[] = [];
  for (const f of facts) {
    if (!LOGGED.has(f.kind)) continue;
    if (events.length >= MAX_DEBRIEF_EVENTS) break;
    // Stage "none" at the start says nothing; later returns to none do (the signs settled).
    if ((f.kind === 'withdrawal' || f.kind === 'overdose') && f.stage === 'none' && f.t === o.startTime)
      continue;
    events.push({ t: f.t, kind: f.kind, actor: actorOf(f), text: describeFact(f) });
  }
  return {
    scenario: {
      id: s.id,
      title: s.title,
      kind: s.kind,
      source: s.source,
      objectives: s.brief.objectives,
    },
    startTime: o.startTime,
    endTime: o.endTime,
    now: o.now,
    ended: o.ended,
    endReason: o.endReason,
    outcome,
    score: { met, total, percent: total === 0 ? 100 : Math.round((met / total) * 1000) / 10 },
    expectations: ordered,
    criticalMissed,
    events,
    series,
    factCount: facts.length,
  };
}

/** Whether a run "passes" for the CLI's exit code: no critical expectation missed. */
export function passes(d: Debrief): boolean {
  return d.criticalMissed.length === 0;
}
