import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { usd } from '../format';

export interface ChartSeries {
  label: string;
  /** Integer nano-dollars per bucket (the API's cost_nanos), aligned with the buckets. */
  nanos: number[];
}

/** Axis labels only (the figures people read are printed from integers below the chart). */
const axisUsd = (v: number) => (v === 0 ? '$0' : v >= 100 ? `$${v.toFixed(0)}` : v >= 1 ? `$${v.toFixed(2)}` : `$${Number(v.toPrecision(2))}`);

export const PALETTE = ['#1f6feb', '#d4a017', '#2da44e', '#cf222e', '#8250df', '#0a7ea4', '#bc4c00', '#6e7781'];

/**
 * Spend per period, stacked by team or model, drawn with uPlot on a canvas. The bars are for
 * the eye (heights are floats); every figure a person reads — the legend and the readout of the
 * bucket under the pointer or keyboard — is printed from the integers.
 */
export function SpendChart({ buckets, series, label }: { buckets: string[]; series: ChartSeries[]; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [at, setAt] = useState<number | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el || !buckets.length) return;
    // Cumulative stacks, drawn tallest first so each smaller one covers the one below it.
    const stacked: number[][] = [];
    let running = buckets.map(() => 0);
    for (const s of series) {
      running = running.map((v, i) => v + (s.nanos[i] ?? 0) / 1e9);
      stacked.push(running);
    }
    const order = series.map((_, i) => i).reverse();
    const x = buckets.map((_, i) => i);
    const data: uPlot.AlignedData = [x, ...order.map((i) => stacked[i]!)];
    const bars = uPlot.paths.bars!({ size: [0.7, 48], gap: 1 });
    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height: 240,
      legend: { show: false },
      cursor: { y: false, points: { show: false }, drag: { x: false, y: false } },
      scales: { x: { time: false, range: [-0.5, buckets.length - 0.5] }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      axes: [
        {
          stroke: '#57606a',
          grid: { show: false },
          splits: () => x,
          values: (_u, splits) => {
            const every = Math.ceil(buckets.length / Math.max(1, Math.floor(el.clientWidth / 70)));
            return splits.map((i) => (i % every === 0 ? (buckets[i] ?? '').replace(/^\d{4}-/, '') : ''));
          },
        },
        { stroke: '#57606a', grid: { stroke: '#eaeef2' }, size: 84, values: (_u, splits) => splits.map(axisUsd) },
      ],
      series: [{}, ...order.map((i) => ({ label: series[i]!.label, fill: PALETTE[i % PALETTE.length], stroke: PALETTE[i % PALETTE.length], width: 0, paths: bars, points: { show: false } }))],
      hooks: { setCursor: [(u) => setAt(u.cursor.idx ?? null)] },
    };
    const u = new uPlot(opts, data, el);
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(280, el.clientWidth), height: 240 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
    };
  }, [buckets, series]);

  const total = (i: number) => series.reduce((a, s) => a + BigInt(s.nanos[i] ?? 0), 0n);
  const shown = at ?? buckets.length - 1;
  return (
    <figure class="chart">
      <div ref={box} class="chart-canvas" role="img" aria-label={label} />
      <figcaption>
        <ul class="legend" aria-label="Series">
          {series.map((s, i) => (
            <li key={s.label}>
              <span class="swatch" style={{ background: PALETTE[i % PALETTE.length] }} aria-hidden="true" />
              {s.label}: {usd(s.nanos.reduce((a, v) => a + BigInt(v), 0n))}
            </li>
          ))}
        </ul>
        {buckets.length > 0 && (
          <p class="readout muted">
            {buckets[shown]}: {usd(total(shown))}
          </p>
        )}
      </figcaption>
    </figure>
  );
}
