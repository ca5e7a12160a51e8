import { useState } from 'react';
import { clinicianProblem, patientIdProblem } from '../../shared/session-identity';
import type {
  AgeGroup,
  ConnectTarget,
  PortInfo,
  ProgrammerBridge,
  SpasticityOrigin,
} from '../../shared/contract';

export interface ConnectScreenProps {
  api: ProgrammerBridge;
  origin: SpasticityOrigin | null;
  onOriginChange(origin: SpasticityOrigin): void;
  /** Children under 12 get the label's paediatric rules; chosen with the origin, recorded with the session. */
  ageGroup: AgeGroup | null;
  onAgeGroupChange(ageGroup: AgeGroup): void;
  /** Connect then interrogate; resolves with an error message, or null on success. */
  onConnect(target: ConnectTarget, identity: SessionIdentity): Promise<string | null>;
  notice?: string | null;
  hostReady: boolean;
  /** Before the pump: the candidacy decision and the screening trial (no pump connected). */
  onCandidacy?(): void;
  /** Training cases: the library, the brief, start a case on the embedded pump. */
  onTraining?(): void;
}

/** The patient ID and the clinician, recorded with the session and printed on the refill card. */
export interface SessionIdentity {
  patientId: string;
  clinician: string;
}

export function ConnectScreen({
  api,
  origin,
  onOriginChange,
  ageGroup,
  onAgeGroupChange,
  onConnect,
  notice,
  hostReady,
  onCandidacy,
  onTraining,
}: ConnectScreenProps) {
  const [ports, setPorts] = useState<PortInfo[] | null>(null);
  const [selected, setSelected] = useState('');
  const [typedPath, setTypedPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [patientId, setPatientId] = useState('');
  const [clinician, setClinician] = useState('');
  const [idTouched, setIdTouched] = useState({ patientId: false, clinician: false });
  const patientIdError = patientIdProblem(patientId);
  const clinicianError = clinicianProblem(clinician);

  async function refreshPorts() {
    setError(null);
    const r = await api.listPorts({});
    if (!r.ok) return setError(`Could not list serial ports: ${r.error.message}`);
    setPorts(r.value);
    if (!selected && r.value[0]) setSelected(r.value[0].path);
  }

  async function connect(target: ConnectTarget) {
    setBusy(true);
    setError(null);
    const message = await onConnect(target, { patientId: patientId.trim(), clinician: clinician.trim() });
    setBusy(false);
    if (message) setError(message);
  }

  const serialPath = typedPath.trim() || selected;
  const identityOk = patientIdError === null && clinicianError === null;
  const canConnect = origin !== null && ageGroup !== null && identityOk && !busy && hostReady;
  const patientMissing = origin === null || ageGroup === null || !identityOk;

  return (
    <section className="screen connect" aria-labelledby="connect-title">
      <h1 id="connect-title">Connect to the pump</h1>
      {notice && (
        <p className="notice" role="status" data-testid="connect-notice">
          {notice}
        </p>
      )}

      <fieldset className="origin identity">
        <legend>Session</legend>
        <p className="hint" id="identity-hint">
          Recorded with the session and printed on the refill card.
        </p>
        <label className="field">
          Patient ID
          <input
            type="text"
            name="patientId"
            autoComplete="off"
            maxLength={64}
            value={patientId}
            aria-invalid={idTouched.patientId && patientIdError !== null}
            aria-describedby="patient-id-error"
            onChange={(e) => setPatientId(e.target.value)}
            onBlur={() => setIdTouched((t) => ({ ...t, patientId: true }))}
          />
        </label>
        <p className="field-error" id="patient-id-error" role="alert">
          {idTouched.patientId && patientIdError}
        </p>
        <label className="field">
          Clinician
          <input
            type="text"
            name="clinician"
            autoComplete="name"
            maxLength={128}
            value={clinician}
            aria-invalid={idTouched.clinician && clinicianError !== null}
            aria-describedby="clinician-error"
            onChange={(e) => setClinician(e.target.value)}
            onBlur={() => setIdTouched((t) => ({ ...t, clinician: true }))}
          />
        </label>
        <p className="field-error" id="clinician-error" role="alert">
          {idTouched.clinician && clinicianError}
        </p>
      </fieldset>

      <fieldset className="origin">
        <legend>Patient: spasticity origin</legend>
        <p className="hint" id="origin-hint">
          Needed for the titration limits. Choose it before interrogating.
        </p>
        <label>
          <input
            type="radio"
            name="origin"
            value="spinal"
            checked={origin === 'spinal'}
            onChange={() => onOriginChange('spinal')}
          />{' '}
          Spinal origin
        </label>
        <label>
          <input
            type="radio"
            name="origin"
            value="cerebral"
            checked={origin === 'cerebral'}
            onChange={() => onOriginChange('cerebral')}
          />{' '}
          Cerebral origin
        </label>
      </fieldset>
      <fieldset className="origin">
        <legend>Patient: age group</legend>
        <p className="hint" id="age-hint">
          Children under 12 years get the label&apos;s paediatric dose ranges and the tighter titration steps.
        </p>
        <label>
          <input
            type="radio"
            name="ageGroup"
            value="adult"
            checked={ageGroup === 'adult'}
            onChange={() => onAgeGroupChange('adult')}
          />{' '}
          12 years or older
        </label>
        <label>
          <input
            type="radio"
            name="ageGroup"
            value="childUnder12"
            checked={ageGroup === 'childUnder12'}
            onChange={() => onAgeGroupChange('childUnder12')}
          />{' '}
          Child under 12 years
        </label>
      </fieldset>

      <div className="connect-options">
        <section className="card" aria-labelledby="embedded-title">
          <h2 id="embedded-title">Virtual pump</h2>
          <p>The bench&apos;s embedded simulated pump, on its own virtual serial port.</p>
          <button
            type="button"
            className="primary big"
            disabled={!canConnect}
            aria-describedby={patientMissing ? 'identity-hint origin-hint age-hint' : undefined}
            onClick={() => void connect({ kind: 'embedded' })}
          >
            Connect to virtual pump and interrogate
          </button>
        </section>

        <section className="card" aria-labelledby="serial-title">
          <h2 id="serial-title">Serial port</h2>
          <div className="row">
            <button type="button" onClick={() => void refreshPorts()} disabled={!hostReady}>
              List serial ports
            </button>
            {ports && <span className="hint">{ports.length} port(s) found</span>}
          </div>
          {ports && ports.length > 0 && (
            <label className="field">
              Port
              <select value={selected} onChange={(e) => setSelected(e.target.value)}>
                {ports.map((p) => (
                  <option key={p.path} value={p.path}>
                    {p.path}
                    {p.embedded ? ' (virtual pump)' : p.manufacturer ? ` — ${p.manufacturer}` : ''}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label className="field">
            Or type a path
            <input
              type="text"
              value={typedPath}
              placeholder="/dev/ttyUSB0"
              spellCheck={false}
              onChange={(e) => setTypedPath(e.target.value)}
            />
          </label>
          <button
            type="button"
            disabled={!canConnect || !serialPath}
            onClick={() => void connect({ kind: 'serial', path: serialPath })}
          >
            Connect to serial port and interrogate
          </button>
        </section>

        {onTraining && (
          <section className="card" aria-labelledby="training-card-title">
            <h2 id="training-card-title">Training cases</h2>
            <p>Practise a case from the library on the virtual pump and patient, then read its debrief.</p>
            <button type="button" onClick={onTraining} disabled={!hostReady}>
              Start a training case
            </button>
          </section>
        )}
        {onCandidacy && (
          <section className="card" aria-labelledby="before-pump-title">
            <h2 id="before-pump-title">Before the pump</h2>
            <p>Decide whether a patient is a candidate, and run the screening trial on a virtual patient.</p>
            <button type="button" onClick={onCandidacy} disabled={!hostReady}>
              Candidacy and screening
            </button>
          </section>
        )}
      </div>
      {busy && (
        <p role="status" className="busy">
          Connecting and interrogating…
        </p>
      )}
      {error && (
        <p role="alert" className="error" data-testid="connect-error">
          {error}
        </p>
      )}
    </section>
  );
}
