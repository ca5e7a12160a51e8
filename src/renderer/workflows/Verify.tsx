import { useState } from 'react';
import type { CommitResult, ProgrammerBridge, VerifyResult } from '../../shared/contract';
import './workflows.css';

export interface VerifyProps {
  api: ProgrammerBridge;
  result: CommitResult;
  onDone(): void;
  /** Extra content after a verified update (the refill printout). */
  children?: React.ReactNode;
}

/**
 * After the update the programmer reads the pump back: a quiet success panel when it matches, a loud
 * alert listing every mismatch when it does not (the clinician must not leave believing it worked).
 */
export function Verify({ api, result, onDone, children }: VerifyProps) {
  const [verify, setVerify] = useState<VerifyResult | null>(result.verify);
  const [readError, setReadError] = useState<string | null>(null);
  const [reading, setReading] = useState(false);

  async function readBack() {
    setReading(true);
    setReadError(null);
    const r = await api.verify({});
    setReading(false);
    if (r.ok) setVerify(r.value);
    else setReadError(`${r.error.code}: ${r.error.message}`);
  }

  if (!result.committed) {
    return (
      <section className="wf-verify" data-testid="verify-result" data-outcome="not-committed">
        <div role="alert" className="wf-error">
          <h2>The pump was not updated</h2>
          <p>The pump kept its previous program. Check the errors, then start the workflow again.</p>
          <ul>
            {result.errors.map((e, i) => (
              <li key={i}>
                {e.message} ({e.field})
              </li>
            ))}
          </ul>
        </div>
        <div className="wf-actions">
          <button type="button" onClick={onDone}>
            Close
          </button>
        </div>
      </section>
    );
  }

  if (!verify) {
    return (
      <section className="wf-verify" data-testid="verify-result" data-outcome="unverified">
        <div role="alert" className="wf-error">
          <h2>Update sent, not yet verified</h2>
          <p>The programmer could not read the pump back. Read it back before ending the session.</p>
          {readError && <p>{readError}</p>}
        </div>
        <div className="wf-actions">
          <button type="button" className="wf-primary" onClick={readBack} disabled={reading}>
            {reading ? 'Reading…' : 'Read pump back'}
          </button>
        </div>
      </section>
    );
  }

  if (!verify.matches) {
    return (
      <section className="wf-verify" data-testid="verify-result" data-outcome="mismatch">
        <div role="alert" className="wf-error wf-loud">
          <h2>The pump does not match the program sent</h2>
          <p>Do not let the patient leave. Interrogate the pump, compare with the order and reprogram.</p>
          <table data-testid="verify-mismatches">
            <caption>Mismatches</caption>
            <thead>
              <tr>
                <th scope="col">Setting</th>
                <th scope="col">Sent</th>
                <th scope="col">Read back</th>
              </tr>
            </thead>
            <tbody>
              {verify.mismatches.map((m) => (
                <tr key={m.field}>
                  <th scope="row">{m.field}</th>
                  <td>{m.expected}</td>
                  <td>{m.actual}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="wf-actions">
          <button type="button" onClick={readBack} disabled={reading}>
            Read pump back again
          </button>
          <button type="button" onClick={onDone}>
            Close
          </button>
        </div>
      </section>
    );
  }

  return (
    <section className="wf-verify" data-testid="verify-result" data-outcome="match">
      <div className="wf-success" role="status">
        <h2>Pump updated and verified</h2>
        <p>
          The program read back from the pump matches the program sent (program version{' '}
          {verify.program.programVersion}).
        </p>
      </div>
      {children}
      <div className="wf-actions">
        <button type="button" className="wf-primary" data-testid="workflow-done" onClick={onDone}>
          Done
        </button>
      </div>
    </section>
  );
}
