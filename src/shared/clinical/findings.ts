/** Verdict helpers over RuleFinding lists (titration, refill, and any rule the service adds). */
import type { RuleFinding, RuleSeverity } from '../contract';

/** hardStop if any finding is one; an override reason is needed if any warning and no hardStop. */
export function findingsVerdict(findings: readonly RuleFinding[]): {
  hardStop: boolean;
  needsOverrideReason: boolean;
} {
  const hardStop = findings.some((f) => f.severity === 'hardStop');
  return { hardStop, needsOverrideReason: !hardStop && findings.some((f) => f.severity === 'warning') };
}

const RANK: Record<RuleSeverity, number> = { info: 0, warning: 1, hardStop: 2 };

/** The most severe finding's severity, or null for an empty list. */
export function worstSeverity(findings: readonly RuleFinding[]): RuleSeverity | null {
  let worst: RuleSeverity | null = null;
  for (const f of findings) if (worst === null || RANK[f.severity] > RANK[worst]) worst = f.severity;
  return worst;
}
