import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  /** null: not measured at that x (a gap the line bridges, e.g. a vital sign not taken at that time). */
  values: (number | null)[];
  color: string;
}

export interface ChartMarker {
  /** Same unit as `x`. */
  x: number;
  kind: 'alarm' | 'learner';
  text: string;
}

export interface TimeChartProps {
  title: string;
  /** The x values (e.g. hours from the start of a case). */
  x: number[];
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  markers?: ChartMarker[];
  height?: number;
  testId?: string;
}

/**
 * A time series chart drawn by uPlot (the charting library the debrief and the instructor console use:
 * small, fast on dense series, canvas). Vertical markers show alarms (red) and the learner's actions
 * (blue). The chart is described in words for screen readers by its caption.
 */
export function TimeChart({
  title,
  x,
  xLabel,
  yLabel,
  series,
  markers = [],
  height = 220,
  testId,
}: TimeChartProps) {
  const host = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const drawMarkers = (u: uPlot) => {
      const ctx = u.ctx;
      ctx.save();
      for (const m of markers) {
        const px = u.valToPos(m.x, 'x', true);
        ctx.strokeStyle = m.kind === 'alarm' ? 'rgba(200,0,0,0.7)' : 'rgba(0,70,200,0.7)';
        ctx.lineWidth = 1.5;
        ctx.beginPath();
        ctx.moveTo(px, u.bbox.top);
        ctx.lineTo(px, u.bbox.top + u.bbox.height);
        ctx.stroke();
      }
      ctx.restore();
    };
    const chart = new uPlot(
      {
        title,
        width: Math.max(320, Math.min(1100, el.clientWidth || 800)),
        height,
        scales: { x: { time: false } },
        axes: [{ label: xLabel }, { label: yLabel }],
        series: [
          { label: xLabel },
          ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, spanGaps: true })),
        ],
        hooks: { draw: [drawMarkers] },
      },
      [x, ...series.map((s) => s.values)],
      el,
    );
    return () => chart.destroy();
  }, [title, x, xLabel, yLabel, series, markers, height]);
  const last = (v: (number | null)[]) => v.filter((n): n is number => n !== null).at(-1) ?? null;
  return (
    <figure className="time-chart" data-testid={testId}>
      <div ref={host} />
      <figcaption className="visually-hidden">
        {title}: {series.map((s) => `${s.label}, last ${last(s.values) ?? 'no value'}`).join('; ')}.
      </figcaption>
    </figure>
  );
}
