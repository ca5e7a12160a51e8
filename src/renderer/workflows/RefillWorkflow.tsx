import { useId, useMemo, useState } from 'react';
import { getProfile } from '../../shared/device-facts/profiles';
import { doseText, volumeText } from './entry';
import { Field, fieldBinder } from './Field';
import {
  formatConcentration,
  formatDose,
  formatRate,
  formatReservoirVolume,
  formatVolume,
} from '../../shared/clinical/format';
import {
  bridgeOffer,
  chosenConcentration,
  CONCENTRATION_OPTIONS,
  discrepancyDisplay,
  initialEntries,
  refillCheck,
  refillSteps,
  STEP_LABELS,
  stepErrors,
  buildRefillRequest,
  type RefillContext,
  type RefillEntries,
} from './refill-model';
import { RefillPrintout } from './RefillPrintout';
import { currentDailyDose } from './titration-model';
import type { WorkflowProps } from './types';
import { WorkflowActions } from './WorkflowActions';
import { useTransaction, WorkflowFrame } from './WorkflowFrame';
import { FindingsPanel, useLiveEvaluation } from './LiveFindings';
import './workflows.css';

export function RefillWorkflow(props: WorkflowProps) {
  const { status, program } = props;
  const tx = useTransaction(props);
  const id = useId();
  const ctx: RefillContext = useMemo(
    () => ({ status, program, profile: getProfile(status.model) }),
    [status, program],
  );
  const [e, setE] = useState<RefillEntries>(() =>
    initialEntries(ctx, doseText(currentDailyDose(program)), volumeText),
  );
  const [stepIndex, setStepIndex] = useState(0);
  const [shown, setShown] = useState<Set<string>>(new Set());
  const steps = refillSteps(e, ctx);
  const step = steps[Math.min(stepIndex, steps.length - 1)]!;
  const errors = stepErrors(step, e, ctx);
  const complete = Object.keys(errors).length === 0;
  const check = refillCheck(e, ctx);
  const discrepancy = check ? discrepancyDisplay(check) : null;
  const bridge = bridgeOffer(e, ctx);
  const isLast = stepIndex >= steps.length - 1;
  const request = isLast && complete ? buildRefillRequest(e, ctx) : null;
  const evaluation = useLiveEvaluation(props, request?.ok ? request.value : null);
  // Errors show once the clinician has typed in a field or tried to go on.
  const err = (f: keyof RefillEntries) => (shown.has(f) || shown.has(`step:${step}`) ? errors[f] : undefined);
  const set = (f: keyof RefillEntries) => (v: string) => {
    setE((prev) => ({ ...prev, [f]: v }));
    setShown((s) => new Set(s).add(f));
  };
  const field = fieldBinder(e, set, err);

  function next() {
    setShown((s) => new Set(s).add(`step:${step}`));
    if (!complete) return;
    if (!isLast) {
      setStepIndex(stepIndex + 1);
      return;
    }
    const req = buildRefillRequest(e, ctx);
    if (req.ok) void tx.propose(req.value);
  }

  const conc = chosenConcentration(e);
  return (
    <WorkflowFrame
      title="Refill"
      testId="workflow-refill"
      tx={tx}
      props={props}
      afterVerify={
        tx.state.phase === 'done' ? (
          <RefillPrintout
            api={props.api}
            status={status}
            proposal={tx.state.proposal}
            verified={tx.state.result.verify}
          />
        ) : null
      }
    >
      <nav aria-label="Refill steps">
        <ol className="wf-steps">
          {steps.map((s, i) => (
            <li key={s} aria-current={s === step ? 'step' : undefined}>
              {i + 1}. {STEP_LABELS[s]}
            </li>
          ))}
          <li>{steps.length + 1}. Review</li>
        </ol>
      </nav>
      <h2>{STEP_LABELS[step]}</h2>

      {step === 'withdraw' && (
        <>
          <dl className="wf-consequences">
            <dt>Expected volume (the pump's calculated reservoir)</dt>
            <dd data-testid="refill-expected">{formatReservoirVolume(status.reservoirVolumeUl)}</dd>
            <dt>Reservoir capacity</dt>
            <dd>{formatVolume(status.reservoirCapacityUl)}</dd>
          </dl>
          <p className="wf-hint">
            Aspirate the reservoir completely and read the volume in the syringe. The pump does not measure
            its reservoir: comparing the two is how an over-infusion or a pocket fill is caught.
          </p>
          <Field label="Volume withdrawn (mL)" {...field('withdrawn')} testId="refill-withdrawn" />
          {discrepancy && !errors.withdrawn && (
            <div
              role={discrepancy.tone === 'alert' ? 'alert' : 'status'}
              className={discrepancy.tone === 'alert' ? 'wf-error wf-loud' : 'wf-success'}
              data-testid="refill-discrepancy"
              data-kind={discrepancy.kind}
            >
              <h3>{discrepancy.title}</h3>
              <p>{discrepancy.message}</p>
              {discrepancy.actions.length > 0 && (
                <>
                  <p>What to do:</p>
                  <ul>
                    {discrepancy.actions.map((a) => (
                      <li key={a}>{a}</li>
                    ))}
                  </ul>
                </>
              )}
            </div>
          )}
        </>
      )}

      {step === 'drug' && (
        <>
          <Field label="Drug name" inputMode="text" {...field('drugName')} testId="refill-drug" />
          <fieldset aria-describedby={err('concentrationChoice') ? `${id}-choice-err` : undefined}>
            <legend className="wf-legend">
              Concentration on the label (now {formatConcentration(status.concentrationMcgPerMl)})
            </legend>
            <div className="wf-radio-row">
              {CONCENTRATION_OPTIONS.map((c) => (
                <label key={c}>
                  <input
                    type="radio"
                    name={`${id}-conc`}
                    data-testid={`refill-conc-${c}`}
                    checked={e.concentrationChoice === String(c)}
                    onChange={() => set('concentrationChoice')(String(c))}
                  />
                  {c} mcg/mL
                </label>
              ))}
              <label>
                <input
                  type="radio"
                  name={`${id}-conc`}
                  data-testid="refill-conc-custom"
                  checked={e.concentrationChoice === 'custom'}
                  onChange={() => set('concentrationChoice')('custom')}
                />
                Custom dilution
              </label>
            </div>
            {err('concentrationChoice') && (
              <p id={`${id}-choice-err`} className="wf-field-error">
                {err('concentrationChoice')}
              </p>
            )}
          </fieldset>
          {e.concentrationChoice === 'custom' && (
            <Field
              label="Custom concentration (mcg/mL)"
              inputMode="numeric"
              {...field('concentrationCustom')}
              testId="refill-conc-custom-value"
            />
          )}
          <Field
            label="Confirm the concentration: type it again from the label (mcg/mL)"
            inputMode="numeric"
            {...field('concentrationConfirm')}
            hint="Double entry guards against tenfold errors."
            testId="refill-conc-confirm"
          />
          {check &&
            conc.ok &&
            check.findings
              .filter((f) => f.rule.startsWith('CONCENTRATION_') || f.rule === 'DRUG_NOT_BACLOFEN')
              .filter((f) => f.rule !== 'CONCENTRATION_ENTRY_MISMATCH')
              .map((f) => (
                <p
                  key={f.rule}
                  className={f.severity === 'hardStop' ? 'wf-error' : 'wf-warning'}
                  data-rule={f.rule}
                >
                  {f.message}
                </p>
              ))}
        </>
      )}

      {step === 'fill' && (
        <Field
          label={`Fill volume (mL, at most ${formatVolume(status.reservoirCapacityUl)})`}
          {...field('fill')}
          testId="refill-fill"
        />
      )}

      {step === 'bridge' && (
        <>
          <p className="wf-warning">
            The concentration changes from {formatConcentration(status.concentrationMcgPerMl)} to{' '}
            {conc.ok ? formatConcentration(conc.value) : '?'}. The old drug still in the pump tubing and
            catheter would be pushed at the new rate.
          </p>
          <Field
            label="Catheter volume (mL, from the implant record)"
            {...field('catheterVolume')}
            testId="refill-catheter-volume"
          />
          {bridge && bridge.ok && (
            <p className="wf-info" data-testid="refill-bridge-offer">
              {bridge.message}
            </p>
          )}
          {bridge && !bridge.ok && <p className="wf-error">{bridge.error.message}</p>}
          <fieldset aria-describedby={err('bridge') ? `${id}-bridge-err` : undefined}>
            <legend className="wf-legend">Bridge bolus</legend>
            <div className="wf-radio-row">
              <label>
                <input
                  type="radio"
                  name={`${id}-bridge`}
                  data-testid="refill-bridge-accept"
                  checked={e.bridge === 'accept'}
                  disabled={!bridge?.ok}
                  onChange={() => set('bridge')('accept')}
                />
                Give the bridge bolus
              </label>
              <label>
                <input
                  type="radio"
                  name={`${id}-bridge`}
                  data-testid="refill-bridge-decline"
                  checked={e.bridge === 'decline'}
                  onChange={() => set('bridge')('decline')}
                />
                Decline (decided with the prescriber)
              </label>
            </div>
            {err('bridge') && (
              <p id={`${id}-bridge-err`} className="wf-field-error">
                {err('bridge')}
              </p>
            )}
          </fieldset>
        </>
      )}

      {step === 'dose' && (
        <>
          {program.therapy.mode === 'flex' ? (
            <p className="wf-info">
              The flex schedule is kept (mean {formatDose(currentDailyDose(program))}); its rates are
              re-derived for the new concentration.
            </p>
          ) : (
            <Field
              label="Daily dose, continuous (mcg/day)"
              {...field('dose')}
              hint={`Now ${formatDose(status.dailyDoseNgPerDay)} at ${formatRate(status.rateUlPerDay)}.`}
              testId="refill-dose"
            />
          )}
          <Field
            label="Low-reservoir alarm volume (mL)"
            {...field('lowReservoirAlarm')}
            testId="refill-low-alarm"
          />
          <FindingsPanel evaluation={evaluation} testId="refill-findings" />
        </>
      )}

      <WorkflowActions
        onCancel={props.onDone}
        previous={{ onClick: () => setStepIndex(Math.max(0, stepIndex - 1)), disabled: stepIndex === 0 }}
        primaryLabel={isLast ? 'Review' : 'Next'}
        primaryTestId={isLast ? 'to-review' : 'refill-next'}
        primaryDisabled={props.stale || !complete || (isLast && evaluation?.hardStop === true)}
        onPrimary={next}
      />
    </WorkflowFrame>
  );
}
