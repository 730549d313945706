import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import uplotCss from 'uplot/dist/uPlot.min.css';

// One uPlot chart over the overview's days (x is the day's index, labelled with its date), as
// bars or lines; stacked bars are drawn from running totals, and the legend shows each series'
// own value. uPlot draws on a canvas: ~50 KB minified for every chart the dashboard has.

let styled = false;

/** One series: its values per day, and how it is drawn. */
export interface ChartSeries {
  label: string;
  color: string;
  values: (number | null)[];
  kind: 'bar' | 'line' | 'dash';
  /** Legend and axis text for a value. */
  format?: (v: number) => string;
}

/** A chart of `series` over `days`; `stacked` stacks the bar series. */
export function Chart({ days, series, stacked = false, height = 200, label }: { days: string[]; series: ChartSeries[]; stacked?: boolean; height?: number; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!styled) {
      const style = document.createElement('style');
      style.textContent = uplotCss;
      document.head.append(style);
      styled = true;
    }
    const el = box.current!;
    // Stacked: each bar series is drawn at its running total, the last (tallest) first.
    const drawn = series.map((s) => s.values.slice());
    if (stacked) {
      for (let i = 1; i < drawn.length; i++) drawn[i] = drawn[i]!.map((v, d) => (v ?? 0) + (drawn[i - 1]![d] ?? 0));
    }
    const order = stacked ? [...series.keys()].reverse() : [...series.keys()];
    const bars = uPlot.paths.bars!({ size: [0.7, 48] });
    const fmt = (s: ChartSeries, v: number | null) => (v === null || v === undefined ? '—' : s.format ? s.format(v) : String(v));
    const plot = new uPlot(
      {
        width: Math.max(240, el.clientWidth),
        height,
        scales: { x: { time: false, range: [-0.5, days.length - 0.5] } },
        axes: [
          { values: (_u, splits) => splits.map((i) => (Number.isInteger(i) && days[i] ? days[i]!.slice(5) : '')), space: 48, incrs: [1, 2, 7, 14, 28] },
          { size: 72, values: (_u, splits) => splits.map((v) => (series[0]?.format ? series[0].format(v) : String(v))) },
        ],
        legend: { live: true },
        cursor: { points: { show: false } },
        series: [
          { label: 'day', value: (_u, i) => (i === null ? '' : (days[i] ?? '')) },
          ...order.map((i) => {
            const s = series[i]!;
            return {
              label: s.label,
              stroke: s.color,
              fill: s.kind === 'bar' ? s.color : undefined,
              width: s.kind === 'bar' ? 0 : 2,
              dash: s.kind === 'dash' ? [6, 4] : undefined,
              paths: s.kind === 'bar' ? bars : undefined,
              points: { show: false },
              spanGaps: false,
              value: (_u: uPlot, _v: number | null, _si: number, d: number | null) => (d === null ? '—' : fmt(s, s.values[d] ?? null)),
            };
          }),
        ],
      },
      [days.map((_, i) => i), ...order.map((i) => drawn[i]!)] as uPlot.AlignedData,
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(240, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [JSON.stringify(series), days.join(), stacked, height]);
  return <div class="chart" ref={box} role="img" aria-label={label} />;
}
