/**
 * The training case on the console: its status (started, now, ends; the timeline entries and handlers that
 * have fired), the expectations as they are met or missed (critical first, from the runner's debrief), the
 * messages the learner was given, and "End the case". Read from the scenario runner's /scenario endpoints
 * (docs/bench-api.md, "Training case") through the relay; while no case is loaded the bench answers 404 and
 * the panel says so. The shapes are the runner's (src/training/scenario: CaseStatus, Debrief), restated
 * here as far as the panel reads them.
 */
import { useEffect, useState } from 'react';
import type { CallAnswer, InstructorClient } from './api';
import { formatPumpTime } from './model';

interface CaseView {
  title: string;
  startTime: number;
  now: number;
  endTime: number;
  ended: boolean;
  endReason: string | null;
  timelineFired: string[];
  handlersFired: string[];
  messages?: { t: number; text: string }[];
  brief?: unknown;
  /** The next timeline event to fire, or null. */
  next?: { id: string; t: number } | null;
}
interface ExpectationView {
  id: string;
  description: string;
  critical: boolean;
  status: string;
  t: number | null;
  deadline: number | null;
  evidence: string;
}
interface DebriefView {
  outcome: 'passed' | 'failed' | 'inProgress';
  score: { met: number; total: number; percent: number };
  expectations: ExpectationView[];
}

const STATUS_WORDS: Record<string, string> = {
  met: 'met',
  missed: 'missed',
  pending: 'pending',
  broken: 'broken',
  kept: 'kept',
};

export function ScenarioPanel(props: {
  call: (op: Parameters<InstructorClient['call']>[0], args?: Record<string, unknown>) => Promise<CallAnswer>;
  pumpTime: number | null;
}) {
  const { call, pumpTime } = props;
  const [view, setView] = useState<CaseView | null | 'none'>(null);
  const [debrief, setDebrief] = useState<DebriefView | null>(null);
  const [noCase, setNoCase] = useState('');

  // Read again as pump time moves (the stream carries no case status), at most every second.
  const [readAt, setReadAt] = useState<number | null>(null);
  useEffect(() => {
    if (pumpTime === null || (readAt !== null && view !== null && Math.abs(pumpTime - readAt) < 60)) return;
    const t = setTimeout(() => {
      setReadAt(pumpTime);
      void call('scenario').then((a) => {
        if (a.status === 200) {
          setView(a.body as CaseView);
          void call('scenarioDebrief').then((d) => d.status === 200 && setDebrief(d.body as DebriefView));
        } else {
          setView('none');
          setNoCase((a.body as { error?: string } | null)?.error ?? '');
        }
      });
    }, 1000);
    return () => clearTimeout(t);
  }, [pumpTime, readAt, view, call]);

  if (view === null) return <p>…</p>;
  if (view === 'none')
    return (
      <p data-testid="scenario-none">
        No training case is loaded on this pump{noCase ? ` (${noCase})` : ''}: time, faults and the patient
        are driven by hand here.
      </p>
    );
  return (
    <div data-testid="scenario">
      <p>
        <strong>{view.title}</strong> — started {formatPumpTime(view.startTime)}; ends{' '}
        {formatPumpTime(view.endTime)}
        {view.ended ? `; ended: ${view.endReason ?? ''}` : ''}
      </p>
      {debrief && (
        <>
          <p data-testid="scenario-score">
            {debrief.outcome === 'inProgress'
              ? 'In progress'
              : debrief.outcome === 'passed'
                ? 'Passed'
                : 'Failed'}
            : {debrief.score.met} of {debrief.score.total} expectations met ({debrief.score.percent}%)
          </p>
          <ul className="expectations">
            {debrief.expectations.map((e) => (
              <li key={e.id} className={e.status}>
                {e.critical ? <strong>Critical: </strong> : null}
                {e.description} — <em>{STATUS_WORDS[e.status] ?? e.status}</em>
                {e.t !== null ? ` at ${formatPumpTime(e.t)}` : ''}
                {e.deadline !== null && e.status === 'pending'
                  ? ` (deadline ${formatPumpTime(e.deadline)})`
                  : ''}
                {e.evidence ? `: ${e.evidence}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
      <p>
        Timeline fired: {view.timelineFired.length ? view.timelineFired.join(', ') : 'nothing yet'}. Handlers
        fired: {view.handlersFired.length ? view.handlersFired.join(', ') : 'none yet'}.
      </p>
      <p data-testid="scenario-next">
        Next:{' '}
        {view.ended
          ? 'nothing (the case has ended)'
          : view.next
            ? `${view.next.id} at ${formatPumpTime(view.next.t)}`
            : 'no timeline event left; handlers wait for their conditions'}
        .
      </p>
      {view.messages && view.messages.length > 0 && (
        <ul>
          {view.messages.map((m, i) => (
            <li key={i}>
              {formatPumpTime(m.t)}: “{m.text}”
            </li>
          ))}
        </ul>
      )}
      {!view.ended && (
        <button
          type="button"
          onClick={() => void call('scenarioFinish', { reason: 'ended by the instructor' })}
        >
          End the case now
        </button>
      )}
    </div>
  );
}
