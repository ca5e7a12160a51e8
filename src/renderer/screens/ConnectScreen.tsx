import { useState } from 'react';
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
  onConnect(target: ConnectTarget): Promise<string | null>;
  notice?: string | null;
  hostReady: boolean;
  /** Before the pump: the candidacy decision and the screening trial (no pump connected). */
  onCandidacy?(): void;
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
}: ConnectScreenProps) {
  const [ports, setPorts] = useState<PortInfo[] | null>(null);
  const [selected, setSelected] = useState('');
  const [typedPath, setTypedPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

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
    const message = await onConnect(target);
    setBusy(false);
    if (message) setError(message);
  }

  const serialPath = typedPath.trim() || selected;
  const canConnect = origin !== null && ageGroup !== null && !busy && hostReady;
  const patientMissing = origin === null || ageGroup === null;

  return (
    <section className="screen connect" aria-labelledby="connect-title">
      <h1 id="connect-title">Connect to the pump</h1>
      {notice && (
        <p className="notice" role="status" data-testid="connect-notice">
          {notice}
        </p>
      )}

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
            aria-describedby={patientMissing ? 'origin-hint age-hint' : undefined}
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
