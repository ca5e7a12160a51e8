import type { PumpStatus } from '../../device/types';
import type { AgeGroup, ConnectionInfo, SpasticityOrigin } from '../../shared/contract';
import type { TransportState } from '../api';
import { linkView, type Staleness } from '../screens/summaryModel';

export const SAFETY_STATEMENT = 'Training and test bench — not a medical device';

export interface StatusHeaderProps {
  connection: ConnectionInfo | null;
  transport: TransportState;
  origin: SpasticityOrigin | null;
  ageGroup?: AgeGroup | null;
  status: PumpStatus | null;
  staleness: Staleness;
}

/** The header: safety statement, link state with its statistics, patient context, pump identity. */
export function StatusHeader({
  connection,
  transport,
  origin,
  ageGroup,
  status,
  staleness,
}: StatusHeaderProps) {
  const link = linkView(connection, transport);
  return (
    <header className="app-header">
      <div className="brand">
        <span className="app-name">ITB Pump Programmer</span>
        <strong className="safety" data-testid="safety-statement">
          {SAFETY_STATEMENT}
        </strong>
      </div>
      <div className="header-status">
        <div
          className={`link link-${link.tone}`}
          data-testid="link-state"
          data-link-state={connection?.state ?? 'none'}
          data-transport={transport.state}
        >
          <span className="dot" aria-hidden="true" />
          <span>{link.label}</span>
        </div>
        {link.statsText && (
          <div className="link-stats" data-testid="link-stats">
            {link.statsText}
          </div>
        )}
        {staleness.stale && (
          <div className="stale-badge" data-testid="header-stale">
            {staleness.label}
          </div>
        )}
      </div>
      <div className="header-context">
        <div data-testid="header-origin">
          Spasticity origin: <strong>{origin ?? 'not set'}</strong>
        </div>
        <div data-testid="header-age">
          Age:{' '}
          <strong>
            {ageGroup === 'childUnder12'
              ? 'child under 12'
              : ageGroup === 'adult'
                ? '12 or older'
                : 'not set'}
          </strong>
        </div>
        {status && (
          <div data-testid="header-pump">
            {status.model} · SN {status.serial}
          </div>
        )}
      </div>
    </header>
  );
}
