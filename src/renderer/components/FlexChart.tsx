import type { FlexStep } from '../../device/types';
import { flexChart } from '../screens/summaryModel';
import { formatDose, formatTimeOfDay } from '../../shared/clinical/format';

const W = 480;
const H = 120;
const PAD_L = 8;
const PAD_B = 18;

/** Today's schedule as a 24-hour step chart (inline SVG, no styles attribute: the CSP forbids inline styles). */
export function FlexChart({ steps, title }: { steps: readonly FlexStep[]; title: string }) {
  const chart = flexChart(steps, W - PAD_L * 2, H - PAD_B - 4);
  const description = chart.bars
    .map((b) => `${formatTimeOfDay(b.start)}–${formatTimeOfDay(b.end)}: ${formatDose(b.dailyDose)}`)
    .join('; ');
  return (
    <figure className="flex-chart" data-testid="flex-chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${title}. ${description || 'No delivery'}`}
        preserveAspectRatio="none"
      >
        <g transform={`translate(${PAD_L} 4)`}>
          {chart.path && <path d={chart.path} className="flex-area" />}
          {[0, 6, 12, 18, 24].map((h) => {
            const x = (h / 24) * chart.width;
            return (
              <g key={h}>
                <line x1={x} x2={x} y1={0} y2={chart.height} className="flex-grid" />
                <text
                  x={x}
                  y={chart.height + 14}
                  className="flex-tick"
                  textAnchor={h === 0 ? 'start' : h === 24 ? 'end' : 'middle'}
                >
                  {String(h).padStart(2, '0')}:00
                </text>
              </g>
            );
          })}
        </g>
      </svg>
      <figcaption>
        {title}: {description || 'no delivery'}
      </figcaption>
    </figure>
  );
}
