import type { RuleFinding } from '../../shared/contract';

const LABEL = { hardStop: 'Hard stop', warning: 'Beyond guidance', info: 'Note' } as const;
const RANK = { hardStop: 0, warning: 1, info: 2 } as const;

/**
 * Rule findings as a list, most severe first (the same order on the edit screens and the review):
 * severity in words, the message, and the rule's source.
 */
export function FindingList({ findings }: { findings: readonly RuleFinding[] }) {
  const sorted = [...findings].sort((a, b) => RANK[a.severity] - RANK[b.severity]);
  return (
    <ul>
      {sorted.map((f, i) => (
        <li key={`${f.rule}-${i}`} className={`wf-finding wf-${f.severity}`} data-rule={f.rule}>
          <strong>{LABEL[f.severity]}:</strong> {f.message}
          {f.source && <span className="wf-source"> Source: {f.source}.</span>}
        </li>
      ))}
    </ul>
  );
}
