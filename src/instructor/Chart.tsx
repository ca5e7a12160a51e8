/**
 * A live time-series chart: uPlot (canvas, small, fast to redraw with new data), created once and fed new
 * columns with setData; x is pump time shown in the browser's local zone.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';

export interface ChartSeries {
  label: string;
  stroke: string;
  /** Which y axis: 'y' (left) or 'y2' (right). */
  scale?: 'y' | 'y2';
}

export function Chart(props: {
  title: string;
  series: ChartSeries[];
  data: (number | null)[][];
  yLabel: string;
  y2Label?: string;
  testId: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const { series, yLabel, y2Label, title } = props;

  useEffect(() => {
    if (!box.current) return;
    const width = Math.max(300, box.current.clientWidth || 600);
    const axes: uPlot.Axis[] = [{}, { label: yLabel, scale: 'y' }];
    if (y2Label) axes.push({ label: y2Label, scale: 'y2', side: 1, grid: { show: false } });
    const u = new uPlot(
      {
        title,
        width,
        height: 200,
        scales: { x: { time: true } },
        series: [
          {},
          ...series.map((s) => ({
            label: s.label,
            stroke: s.stroke,
            scale: s.scale ?? 'y',
            width: 2,
            spanGaps: true,
          })),
        ],
        axes,
      },
      [[]],
      box.current,
    );
    plot.current = u;
    const onResize = () =>
      box.current && u.setSize({ width: Math.max(300, box.current.clientWidth), height: 200 });
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      u.destroy();
      plot.current = null;
    };
  }, [series, yLabel, y2Label, title]);

  useEffect(() => {
    plot.current?.setData(props.data as uPlot.AlignedData);
  }, [props.data]);

  // First and last value of each series, for tests and for a reader of the page's markup.
  const ends = props.data.slice(1).map((col) => {
    const vals = col.filter((v): v is number => v !== null);
    return [vals[0] ?? null, vals[vals.length - 1] ?? null];
  });
  return (
    <div
      className="chart"
      ref={box}
      data-testid={props.testId}
      data-points={props.data[0]?.length ?? 0}
      data-ends={JSON.stringify(ends)}
    />
  );
}
