/**
 * Conditions and expectations evaluated over recorded facts only (pure: the runner, the debrief and the
 * tests call the same functions on the same list). A condition is "first met at time t at or after a
 * reference time": events (alarms, commands, interventions...) by the first matching fact; states (the
 * pump's, the patient's stage) by the state in force at the reference, else the first change that
 * satisfies them. Composites: `all` = every part has been met (at the latest part's time), `any` = the
 * earliest part, `sequence` = each part at or after the one before.
 */
import type { Fact } from './facts';
import {
  OVERDOSE_STAGES,
  WITHDRAWAL_STAGES,
  type Condition,
  type Expectation,
  type Scenario,
} from './schema';

export interface Met {
  t: number;
  /** The fact that decided it (null for `elapsed`). */
  fact: Fact | null;
}

export interface EvalContext {
  /** Pump time of the start of the case (for `elapsed`). */
  startTime: number;
}

const wIndex = (s: string): number => WITHDRAWAL_STAGES.indexOf(s as (typeof WITHDRAWAL_STAGES)[number]);
const oIndex = (s: string): number => OVERDOSE_STAGES.indexOf(s as (typeof OVERDOSE_STAGES)[number]);

function pumpMatches(c: Extract<Condition, { kind: 'pump' }>, f: Extract<Fact, { kind: 'pump' }>): boolean {
  if (c.mode !== undefined && f.mode !== c.mode) return false;
  if (c.suspended !== undefined && f.suspended !== c.suspended) return false;
  if (c.battery !== undefined && f.battery !== c.battery) return false;
  if (c.catheter !== undefined && f.catheter !== c.catheter) return false;
  if (c.reservoirAtMostMl !== undefined && f.reservoirUl > c.reservoirAtMostMl * 1000) return false;
  if (c.doseAtLeastMcgPerDay !== undefined && f.doseNgPerDay < c.doseAtLeastMcgPerDay * 1000) return false;
  if (c.doseAtMostMcgPerDay !== undefined && f.doseNgPerDay > c.doseAtMostMcgPerDay * 1000) return false;
  return true;
}

/** An event condition: does this fact match it? (null: the condition is not an event) */
function eventMatch(c: Condition, f: Fact): boolean | null {
  switch (c.kind) {
    case 'alarm':
      return f.kind === 'alarm' && f.code === c.code && f.event === (c.event ?? 'raised');
    case 'tone':
      return (
        f.kind === 'tone' && f.code === c.code && (c.priority === undefined || f.priority === c.priority)
      );
    case 'command':
      return (
        f.kind === 'command' &&
        f.ok &&
        f.command === c.command &&
        (c.change === undefined || (f.changes ?? []).includes(c.change)) &&
        (c.alarmShown === undefined || (f.alarms ?? []).includes(c.alarmShown))
      );
    case 'intervention':
      return (
        f.kind === 'intervention' &&
        f.by === 'learner' &&
        (c.intervention === undefined || f.intervention.kind === c.intervention)
      );
    case 'bedside':
      return f.kind === 'bedside' && (c.action === undefined || f.action === c.action);
    case 'timeline':
      return f.kind === 'timeline' && f.id === c.id;
    case 'handler':
      return f.kind === 'handler' && f.id === c.id;
    default:
      return null;
  }
}

/** A state condition: the kind of fact that carries the state, and whether a fact satisfies it. */
function stateMatch(c: Condition, f: Fact): boolean | null {
  switch (c.kind) {
    case 'withdrawal':
      return f.kind === 'withdrawal' ? wIndex(f.stage) >= wIndex(c.atLeast) : null;
    case 'overdose':
      return f.kind === 'overdose' ? oIndex(f.stage) >= oIndex(c.atLeast) : null;
    case 'pump':
      return f.kind === 'pump' ? pumpMatches(c, f) : null;
    default:
      return null;
  }
}

/**
 * The first time at or after `from` at which the condition is met, with the deciding fact, or null.
 * `facts` must be in time order (the runner appends them so).
 */
export function firstMet(c: Condition, facts: readonly Fact[], from: number, ctx: EvalContext): Met | null {
  switch (c.kind) {
    case 'elapsed': {
      const at = ctx.startTime + c.after;
      return { t: Math.max(from, at), fact: null };
    }
    case 'all': {
      let latest: Met | null = null;
      for (const part of c.of) {
        const m = firstMet(part, facts, from, ctx);
        if (!m) return null;
        if (!latest || m.t >= latest.t) latest = m;
      }
      return latest;
    }
    case 'any': {
      let first: Met | null = null;
      for (const part of c.of) {
        const m = firstMet(part, facts, from, ctx);
        if (m && (!first || m.t < first.t)) first = m;
      }
      return first;
    }
    case 'sequence': {
      let m: Met | null = { t: from, fact: null };
      for (const part of c.of) {
        m = firstMet(part, facts, m.t, ctx);
        if (!m) return null;
      }
      return m;
    }
    case 'withdrawal':
    case 'overdose':
    case 'pump': {
      // The state in force at `from` (the last carrying fact at or before it), else the first change after.
      let inForce: Fact | null = null;
      for (const f of facts) {
        if (f.t > from) {
          if (inForce) break;
          if (stateMatch(c, f) === true) return { t: f.t, fact: f };
          continue;
        }
        if (stateMatch(c, f) !== null) inForce = f;
      }
      if (inForce && stateMatch(c, inForce) === true) return { t: from, fact: inForce };
      for (const f of facts) if (f.t > from && stateMatch(c, f) === true) return { t: f.t, fact: f };
      return null;
    }
    default:
      for (const f of facts) if (f.t >= from && eventMatch(c, f) === true) return { t: f.t, fact: f };
      return null;
  }
}

export type { ExpectationResult, ExpectationStatus } from '../../shared/training-case';
import type { ExpectationResult, ExpectationStatus } from '../../shared/training-case';

/**
 * One expectation over the facts. `now` is the pump time the facts run to; `ended` says the case is over,
 * so what has not happened by now never will (else an expectation whose deadline is still ahead is pending).
 */
export function evaluateExpectation(
  x: Expectation,
  facts: readonly Fact[],
  o: { startTime: number; endTime: number; now: number; ended: boolean },
): ExpectationResult {
  const ctx = { startTime: o.startTime };
  const ref = x.from ? firstMet(x.from, facts, o.startTime, ctx) : { t: o.startTime, fact: null };
  const base = {
    id: x.id,
    description: x.description,
    weight: x.weight,
    critical: x.critical,
    expect: x.expect,
    source: x.source ?? null,
  };
  if (!ref) {
    // The reference never happened: nothing could be expected after it.
    const status: ExpectationStatus = !o.ended ? 'pending' : x.expect === 'never' ? 'met' : 'missed';
    return {
      ...base,
      status,
      t: null,
      from: null,
      deadline: null,
      evidence: 'its starting point never happened',
    };
  }
  const deadline = x.within !== undefined ? ref.t + x.within : o.endTime;
  const m = firstMet(x.when, facts, ref.t, ctx);
  const inTime = m !== null && m.t <= deadline;
  const over = o.ended || o.now > deadline;
  let status: ExpectationStatus;
  if (x.expect === 'happens') status = inTime ? 'met' : over ? 'missed' : 'pending';
  else status = inTime ? 'missed' : over ? 'met' : 'pending';
  let evidence: string;
  if (m && inTime) evidence = m.fact ? describeFact(m.fact) : 'the time passed';
  else if (m) evidence = `only after the deadline: ${m.fact ? describeFact(m.fact) : 'the time passed'}`;
  else evidence = x.expect === 'happens' ? 'no such fact was recorded' : 'no such fact was recorded';
  return { ...base, status, t: m && inTime ? m.t : (m?.t ?? null), from: ref.t, deadline, evidence };
}

export function evaluateAll(
  s: Scenario,
  facts: readonly Fact[],
  o: { startTime: number; endTime: number; now: number; ended: boolean },
): ExpectationResult[] {
  return s.expectations.map((x) => evaluateExpectation(x, facts, o));
}

const mcg = (ng: number): string => `${Math.round(ng / 100) / 10} mcg`;

/** A fact in words, for the debrief's evidence and event log. */
export function describeFact(f: Fact): string {
  switch (f.kind) {
    case 'start':
      return 'the case started';
    case 'end':
      return `the case ended: ${f.reason}`;
    case 'alarm':
      return `alarm ${f.code} ${f.event}`;
    case 'tone':
      return `tone for ${f.code} (${f.priority === 'critical' ? 'critical' : 'non-critical'} pattern${f.test ? ', alarm test' : ''})`;
    case 'command': {
      const what =
        f.command === 'interrogated'
          ? `interrogated the pump${f.alarms && f.alarms.length ? ` (alarms shown: ${f.alarms.join(', ')})` : ''}`
          : f.command === 'prepared' || f.command === 'committed'
            ? `${f.command} a change (${(f.changes ?? []).join(', ') || 'nothing'})`
            : f.command === 'readLog'
              ? 'read the pump log'
              : f.command === 'readProgram'
                ? 'read the program'
                : f.command === 'silenced'
                  ? 'silenced the alarm'
                  : f.command === 'alarmTest'
                    ? 'ran the alarm test'
                    : f.command === 'stopped'
                      ? 'stopped the pump'
                      : 'resumed the pump';
      return `${what}${f.detail ? `: ${f.detail}` : ''}${f.ok ? '' : ' (refused by the pump)'}`;
    }
    case 'intervention': {
      const iv = f.intervention;
      const who = f.by === 'learner' ? 'gave' : 'the patient received';
      switch (iv.kind) {
        case 'ivBenzodiazepine':
          return `${who} IV ${iv.drug} ${iv.doseMg} mg`;
        case 'oralBaclofen':
          return `${who} oral baclofen ${iv.doseMg} mg`;
        case 'cyproheptadine':
          return `${who} cyproheptadine ${iv.doseMg} mg`;
        case 'csfDrainage':
          return `${who} CSF drainage ${iv.volumeMl} mL`;
        case 'ventilation':
          return iv.on ? `${who} airway support (ventilation)` : 'ventilation stopped';
        case 'lumbarPunctureBolus':
          return `${who} an intrathecal bolus by lumbar puncture, ${iv.doseMcg} mcg`;
      }
      return 'intervention';
    }
    case 'bedside':
      return `bedside: ${f.action}${f.detail ? ` (${f.detail})` : ''}`;
    case 'withdrawal':
      return `withdrawal stage: ${f.stage}`;
    case 'overdose':
      return `overdose stage: ${f.stage}`;
    case 'pump':
      return `pump ${f.mode}${f.suspended ? ' (delivery suspended)' : ''}, ${mcg(f.doseNgPerDay)}/day, reservoir ${Math.round(f.reservoirUl / 100) / 10} mL (calculated), battery ${f.battery}, catheter ${f.catheter}`;
    case 'timeline':
      return `timeline event "${f.id}"`;
    case 'handler':
      return `handler "${f.id}" fired`;
    case 'message':
      return `message to the learner: ${f.text}`;
    case 'session':
      return `programmer: ${f.operation} (${f.result})`;
  }
}
