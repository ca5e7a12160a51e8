import type { PumpStatus } from '../../device/types';
import { reservoirGauge } from '../screens/summaryModel';
import { formatVolume } from '../../shared/clinical/format';

/**
 * The calculated reservoir volume as a <meter>: below the low-reservoir threshold it shows as low, and so
 * does any volume once the refill is overdue (the drug is past its refill date, whatever is left).
 */
export function ReservoirGauge({ status, overdue = false }: { status: PumpStatus; overdue?: boolean }) {
  const g = reservoirGauge(status);
  return (
    <div className="gauge">
      <meter
        id="reservoir-meter"
        min={0}
        max={g.capacity}
        low={overdue ? g.capacity : Math.min(g.lowThreshold + 1, g.capacity)}
        high={g.capacity}
        optimum={g.capacity}
        value={g.volume}
        aria-label={`Calculated reservoir volume ${formatVolume(g.volume)} of ${formatVolume(g.capacity)}${overdue ? ', refill overdue' : ''}`}
        data-refill-overdue={overdue ? 'true' : 'false'}
      />
      <span className="gauge-scale">
        {Math.round(g.fraction * 100)} % of {formatVolume(g.capacity)}
      </span>
    </div>
  );
}
