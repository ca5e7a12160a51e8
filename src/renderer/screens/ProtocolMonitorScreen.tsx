import { useState } from 'react';
import type { ConnectionInfo } from '../../shared/contract';
import { formatHex, type FrameBuffer } from './frameModel';

export interface ProtocolMonitorProps {
  frames: FrameBuffer;
  connection: ConnectionInfo | null;
  onClear(): void;
  onBack(): void;
}

function time(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** For engineers: the decoded frames on the serial link, newest last, with the link's error counters. */
export function ProtocolMonitorScreen({ frames, connection, onClear, onBack }: ProtocolMonitorProps) {
  // Pausing freezes the view on a snapshot; capture goes on so nothing is lost when resuming.
  const [frozen, setFrozen] = useState<FrameBuffer | null>(null);
  const shown = frozen ?? frames;
  const stats = connection?.stats;
  const rows = shown.frames.slice(-200);

  return (
    <section className="screen monitor" aria-labelledby="monitor-title">
      <div className="screen-title-row">
        <h1 id="monitor-title">Protocol monitor</h1>
        <button type="button" onClick={onBack}>
          Back
        </button>
      </div>
      <dl className="counters" data-testid="monitor-counters">
        <dt>Frames</dt>
        <dd data-testid="monitor-frames">{frames.total}</dd>
        <dt>Sent / received</dt>
        <dd>
          {frames.tx} / {frames.rx}
        </dd>
        <dt>Bad frames</dt>
        <dd data-testid="monitor-bad">{frames.bad}</dd>
        <dt>Retries</dt>
        <dd data-testid="monitor-retries">{stats?.retries ?? '—'}</dd>
        <dt>CRC errors</dt>
        <dd data-testid="monitor-crc">{stats?.crcErrors ?? '—'}</dd>
        <dt>Repaired (FEC)</dt>
        <dd data-testid="monitor-fec">{stats?.fecCorrected ?? '—'}</dd>
        <dt>Timeouts</dt>
        <dd data-testid="monitor-timeouts">{stats?.timeouts ?? '—'}</dd>
        <dt>NAKs</dt>
        <dd>{stats?.naks ?? '—'}</dd>
      </dl>
      <div className="row">
        <button
          type="button"
          aria-pressed={frozen !== null}
          onClick={() => setFrozen(frozen ? null : frames)}
        >
          {frozen ? 'Resume capture view' : 'Pause'}
        </button>
        <button
          type="button"
          onClick={() => {
            onClear();
            setFrozen(null);
          }}
        >
          Clear
        </button>
        {frozen && (
          <span className="hint" role="status">
            Paused — {frames.total - frozen.total} newer frame(s) not shown
          </span>
        )}
      </div>
      <div className="frame-scroll" tabIndex={0} aria-label="Decoded frames">
        <table className="frame-table" data-testid="frame-table">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Dir</th>
              <th scope="col">Summary</th>
              <th scope="col">Bytes (hex)</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((f, i) => (
              <tr
                key={`${shown.total - rows.length + i}`}
                className={f.ok ? f.direction : `${f.direction} bad`}
              >
                <td>{time(f.at)}</td>
                <td>{f.direction === 'tx' ? '→ pump' : '← pump'}</td>
                <td>
                  {f.ok ? '' : '✗ '}
                  {f.summary}
                </td>
                <td className="hex">{formatHex(f.bytes)}</td>
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={4}>No frames captured yet.</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
