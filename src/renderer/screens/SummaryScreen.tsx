import { sinceLastVisitWords, type SinceLastVisit } from '../../shared/clinical/since-last-visit';
import type { PumpProgram } from '../../device/pump-api';
import type { Alarm, PumpStatus } from '../../device/types';
import type { PumpClockInfo } from '../../shared/contract';
import { FlexChart } from '../components/FlexChart';
import { ReservoirGauge } from '../components/ReservoirGauge';
import { BATTERY_LABELS, MODE_LABELS } from '../components/units';
import {
  formatConcentration,
  formatDose,
  formatLocalDate,
  formatLocalDateTime,
  formatRate,
  formatReservoirVolume,
  formatVolume,
  formatZone,
} from '../../shared/clinical/format';
import { therapyMeanDailyDose } from '../../shared/clinical';
import { AlarmList } from './AlarmPanel';
import { refillPlan, refillStateText, scheduleSteps, type Staleness } from './summaryModel';

export type WorkflowChoice =
  'titrate' | 'flex' | 'refill' | 'bolus' | 'log' | 'monitor' | 'stopResume' | 'alarmTest' | 'endSession';

export interface SummaryScreenProps {
  status: PumpStatus;
  program: PumpProgram | null;
  /** Pump time of the last refill found in the log, or null. */
  lastRefillAt: number | null;
  alarms: Alarm[];
  staleness: Staleness;
  busy: boolean;
  onChoose(choice: WorkflowChoice): void;
  onInterrogate(): void;
  /** The pump clock as this session set it (CLOCK_SET at interrogation). */
  clock?: PumpClockInfo | null;
  /** What happened since the previous session with this pump (issue 17); null while not read. */
  sinceLastVisit?: SinceLastVisit | null;
}

function Value({ testId, children, stale }: { testId: string; children: React.ReactNode; stale: boolean }) {
  return (
    <dd
      data-testid={testId}
      className={stale ? 'value stale' : 'value'}
      data-stale={stale ? 'true' : 'false'}
    >
      {children}
    </dd>
  );
}

export function SummaryScreen({
  status,
  program,
  lastRefillAt,
  alarms,
  staleness,
  busy,
  onChoose,
  onInterrogate,
  clock = null,
  sinceLastVisit = null,
}: SummaryScreenProps) {
  const stale = staleness.stale;
  const refill = refillPlan(status, lastRefillAt);
  const steps = program ? scheduleSteps(program) : [];
  const stopped = status.mode === 'stopped';
  // Therapy changes need a live link: stale values must not be the basis of a command.
  const needsLink = stale || busy;

  return (
    <section className="screen summary" aria-labelledby="summary-title">
      <div className="screen-title-row">
        <h1 id="summary-title">Pump summary</h1>
        {stale && (
          <span className="stale-badge" data-testid="stale-badge" role="status">
            {staleness.label}
          </span>
        )}
        <button type="button" onClick={onInterrogate} disabled={busy}>
          Interrogate again
        </button>
      </div>

      <p className="hint" data-testid="summary-zone">
        Times are local: {formatZone(status.pumpTime)}.
      </p>
      {sinceLastVisit && (
        <section className="since-last-visit" aria-labelledby="since-title" data-testid="since-last-visit">
          <h2 id="since-title">
            Since the last visit
            {sinceLastVisit.previous ? ` (${formatLocalDateTime(sinceLastVisit.previous.pumpTime)})` : ''}
          </h2>
          <ul>
            {sinceLastVisitWords(sinceLastVisit).map((t, i) => (
              <li key={i}>{t}</li>
            ))}
          </ul>
        </section>
      )}
      {clock && (
        <p className="hint" data-testid="pump-clock">
          {clock.error
            ? `The pump clock could not be set (${clock.error}): flex steps follow the pump's own clock.`
            : clock.changed
              ? `Pump clock set this session to ${clock.zone} local time (${clock.rule}); it was ${clock.previous}.`
              : `Pump clock on ${clock.zone} local time (${clock.rule}).`}
          {!clock.error &&
            !clock.exact &&
            ' This zone changes its clock by rules the pump cannot hold: it is set again at each interrogation.'}
        </p>
      )}

      {refill.state !== 'notYet' && (
        <p
          className={`warning-strip refill-${refill.state}`}
          role="status"
          data-testid="summary-refill-state"
          data-refill-state={refill.state}
        >
          {refillStateText(refill, (t) => formatLocalDate(t))}. {refill.reason}
        </p>
      )}

      {(stopped || status.deliverySuspended) && (
        <p className="warning-strip" role="status" data-testid="summary-stopped">
          {stopped
            ? 'The pump is STOPPED: no drug is delivered. Resume before the patient leaves (withdrawal risk).'
            : 'Delivery is SUSPENDED by a pump fault: no drug is delivered.'}
        </p>
      )}

      <div className={stale ? 'summary-grid is-stale' : 'summary-grid'}>
        <section className="card" aria-labelledby="sum-pump">
          <h2 id="sum-pump">Pump</h2>
          <dl>
            <dt>Model</dt>
            <Value testId="summary-model" stale={stale}>
              {status.model}
            </Value>
            <dt>Serial number</dt>
            <Value testId="summary-serial" stale={stale}>
              {status.serial}
            </Value>
            <dt>Pump time</dt>
            <Value testId="summary-pump-time" stale={stale}>
              {formatLocalDateTime(status.pumpTime)}
            </Value>
          </dl>
        </section>

        <section className="card" aria-labelledby="sum-therapy">
          <h2 id="sum-therapy">Therapy</h2>
          <dl>
            <dt>Drug</dt>
            <Value testId="summary-drug" stale={stale}>
              {status.drugName || '—'}
            </Value>
            <dt>Concentration</dt>
            <Value testId="summary-concentration" stale={stale}>
              {formatConcentration(status.concentrationMcgPerMl)}
            </Value>
            {/* "Daily dose" is always the 24 h total; a flex pump's status reports its current step. */}
            <dt>Daily dose (24 h total)</dt>
            <Value testId="summary-dose" stale={stale}>
              {formatDose(
                program?.therapy.mode === 'flex'
                  ? therapyMeanDailyDose(program.therapy)
                  : status.dailyDoseNgPerDay,
              )}
            </Value>
            {program?.therapy.mode === 'flex' ? (
              <>
                <dt>Current flex step</dt>
                <Value testId="summary-current-step" stale={stale}>
                  {formatDose(status.dailyDoseNgPerDay)} ({formatRate(status.rateUlPerDay)}) now
                </Value>
              </>
            ) : (
              <>
                <dt>Rate</dt>
                <Value testId="summary-rate" stale={stale}>
                  {formatRate(status.rateUlPerDay)}
                </Value>
              </>
            )}
            <dt>Mode</dt>
            <Value testId="summary-mode" stale={stale}>
              {MODE_LABELS[status.mode]}
              {status.deliverySuspended ? ' (delivery suspended)' : ''}
            </Value>
          </dl>
          {program && program.therapy.mode !== 'stopped' && (
            <FlexChart
              steps={steps}
              title={program.therapy.mode === 'flex' ? "Today's flex schedule" : 'Today: simple continuous'}
            />
          )}
        </section>

        <section className="card" aria-labelledby="sum-reservoir">
          <h2 id="sum-reservoir">Reservoir</h2>
          <dl>
            <dt>Calculated volume</dt>
            <Value testId="summary-reservoir" stale={stale}>
              {formatReservoirVolume(status.reservoirVolumeUl)}
            </Value>
          </dl>
          <ReservoirGauge status={status} overdue={refill.state === 'overdue'} />
          <p className="hint">Calculated from the programmed rate, not measured.</p>
          <dl>
            <dt>Low-reservoir alarm at</dt>
            <Value testId="summary-alarm-threshold" stale={stale}>
              {formatVolume(status.lowReservoirAlarmVolumeUl)}
            </Value>
            <dt>Low-reservoir alarm date</dt>
            <Value testId="summary-alarm-date" stale={stale}>
              {status.lowReservoirAlarmTime !== null
                ? formatLocalDate(status.lowReservoirAlarmTime)
                : 'none (no delivery)'}
            </Value>
            <dt>Empty date</dt>
            <Value testId="summary-empty-date" stale={stale}>
              {status.emptyTime !== null ? formatLocalDate(status.emptyTime) : 'none (no delivery)'}
            </Value>
            <dt>Next refill by</dt>
            <Value testId="summary-next-refill" stale={stale}>
              {refill.state === 'overdue'
                ? `OVERDUE since ${formatLocalDate(refill.dueBy)}`
                : formatLocalDate(refill.dueBy)}
            </Value>
          </dl>
          <p className="hint" data-testid="summary-refill-reason">
            {refill.reason}
          </p>
        </section>

        <section className="card" aria-labelledby="sum-battery">
          <h2 id="sum-battery">Battery</h2>
          <dl>
            <dt>State</dt>
            <Value testId="summary-battery" stale={stale}>
              {BATTERY_LABELS[status.battery]}
            </Value>
            <dt>Replace by</dt>
            <Value testId="summary-replace-by" stale={stale}>
              {status.replaceByTime !== null ? formatLocalDate(status.replaceByTime) : '—'}
            </Value>
            {status.eriTime !== null && (
              <>
                <dt>ERI date</dt>
                <Value testId="summary-eri" stale={stale}>
                  {formatLocalDate(status.eriTime)}
                </Value>
              </>
            )}
          </dl>
        </section>

        <section className="card" aria-labelledby="sum-alarms">
          <h2 id="sum-alarms">Active alarms</h2>
          <AlarmList alarms={alarms} pumpTime={status.pumpTime} />
        </section>
      </div>

      <nav className="workflows" aria-labelledby="wf-title">
        <h2 id="wf-title">Choose a workflow</h2>
        <div className="workflow-buttons">
          <button type="button" disabled={needsLink || !program} onClick={() => onChoose('titrate')}>
            Titrate
          </button>
          <button type="button" disabled={needsLink || !program} onClick={() => onChoose('flex')}>
            Flex schedule
          </button>
          <button type="button" disabled={needsLink || !program} onClick={() => onChoose('refill')}>
            Refill
          </button>
          <button type="button" disabled={needsLink || !program} onClick={() => onChoose('bolus')}>
            Bolus
          </button>
          <button type="button" disabled={stale} onClick={() => onChoose('log')}>
            Event log
          </button>
          <button type="button" onClick={() => onChoose('monitor')}>
            Protocol monitor
          </button>
          <button type="button" disabled={needsLink} onClick={() => onChoose('stopResume')}>
            {stopped ? 'Resume pump' : 'Stop pump'}
          </button>
          <button type="button" disabled={needsLink} onClick={() => onChoose('alarmTest')}>
            Alarm test
          </button>
          <button type="button" className="end" onClick={() => onChoose('endSession')}>
            End session
          </button>
        </div>
      </nav>
    </section>
  );
}
