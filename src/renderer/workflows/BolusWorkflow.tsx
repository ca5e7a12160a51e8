import { useId, useMemo, useState } from 'react';
import { getProfile } from '../../shared/device-facts/profiles';
import {
  BOLUS_KIND_LABELS,
  bolusPreview,
  suggestedPrimingVolume,
  type BolusEntries,
  type BolusKind,
} from './bolus-model';
import { volumeText } from './entry';
import { Field, fieldBinder } from './Field';
import {
  formatAmount,
  formatConcentration,
  formatDuration,
  formatRate,
  formatVolume,
} from '../../shared/clinical/format';
import type { WorkflowProps } from './types';
import { WorkflowActions } from './WorkflowActions';
import { useTransaction, WorkflowFrame } from './WorkflowFrame';
import { FindingsPanel, useLiveEvaluation } from './LiveFindings';
import './workflows.css';

const KIND_HINTS: Record<BolusKind, string> = {
  single: 'A one-off dose over a set time; the pump then returns to its programmed therapy.',
  bridge: 'Pushes the old drug out of the tubing and catheter after a concentration change.',
  priming: 'Fills empty pump tubing and catheter (after implant or catheter revision): specified by volume.',
};

export function BolusWorkflow(props: WorkflowProps) {
  const { status } = props;
  const tx = useTransaction(props);
  const id = useId();
  const profile = getProfile(status.model);
  const [e, setE] = useState<BolusEntries>({
    kind: 'single',
    amount: '',
    volume: volumeText(suggestedPrimingVolume(profile)),
    duration: '60',
  });
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const { preview, errors } = useMemo(() => bolusPreview(e, status, profile), [e, status, profile]);
  const set = (f: keyof BolusEntries) => (v: string) => {
    setE((p) => ({ ...p, [f]: v }));
    setTouched((t) => new Set(t).add(f));
  };
  // The same evaluation the review will make (the bolus against the daily dose, what it cancels).
  const evaluation = useLiveEvaluation(props, preview ? { bolus: preview.request } : null);
  const err = (f: 'amount' | 'volume' | 'duration') => (touched.has(f) ? errors[f] : undefined);
  const field = fieldBinder(e, set, err);

  return (
    <WorkflowFrame title="Bolus" testId="workflow-bolus" tx={tx} props={props}>
      <fieldset>
        <legend className="wf-legend">Kind of bolus</legend>
        <div className="wf-radio-row">
          {(Object.keys(BOLUS_KIND_LABELS) as BolusKind[]).map((k) => (
            <label key={k}>
              <input
                type="radio"
                name={`${id}-kind`}
                data-testid={`bolus-kind-${k}`}
                checked={e.kind === k}
                onChange={() => setE((p) => ({ ...p, kind: k }))}
              />
              {BOLUS_KIND_LABELS[k]}
            </label>
          ))}
        </div>
      </fieldset>
      <p className="wf-hint">{KIND_HINTS[e.kind]}</p>
      <p>
        Drug in the pump: {status.drugName || 'none'} at {formatConcentration(status.concentrationMcgPerMl)};
        reservoir {formatVolume(status.reservoirVolumeUl)}.
      </p>
      {e.kind === 'priming' ? (
        <Field
          label="Priming volume (mL)"
          {...field('volume')}
          hint={`Pump tubing ${formatVolume(profile.pumpTubingVolume)} plus catheter; suggested ${formatVolume(suggestedPrimingVolume(profile))}.`}
          testId="bolus-volume"
        />
      ) : (
        <Field label="Drug amount (mcg)" {...field('amount')} testId="bolus-amount" />
      )}
      <Field label="Duration (minutes)" inputMode="numeric" {...field('duration')} testId="bolus-duration" />

      {preview && (
        <section aria-live="polite" data-testid="bolus-preview">
          <h2>{BOLUS_KIND_LABELS[e.kind]} to be given</h2>
          <dl className="wf-consequences">
            <dt>Drug amount</dt>
            <dd data-testid="bolus-preview-amount">{formatAmount(preview.amount)}</dd>
            <dt>Volume</dt>
            <dd data-testid="bolus-preview-volume">{formatVolume(preview.volume)}</dd>
            <dt>Duration</dt>
            <dd data-testid="bolus-preview-duration">{formatDuration(preview.duration)}</dd>
            <dt>Rate while it runs</dt>
            <dd>{formatRate(preview.rate)}</dd>
          </dl>
          <FindingsPanel evaluation={evaluation} testId="bolus-findings" />
        </section>
      )}

      <WorkflowActions
        onCancel={props.onDone}
        primaryDisabled={!preview || props.stale || evaluation?.hardStop === true}
        onPrimary={() => preview && void tx.propose({ bolus: preview.request })}
      />
    </WorkflowFrame>
  );
}
