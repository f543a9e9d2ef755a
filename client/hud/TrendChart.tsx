import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { EquipmentKind, SignalDef } from '../../protocol';
import { signalLabel, unitLabel } from '../i18n/signalNames';
import { useT } from '../i18n/useT';
import { usePlantStore } from '../state/plantStore';
import { palette } from '../theme';
import { formatNumber } from './format';
import { onTrendSample, TREND_SAMPLES, trendHistory } from './trendSampler';

/** Chart height, CSS px: a sparkline with a value axis, not a full trend display. */
const HEIGHT = 56;
/** The trend window, minutes (samples are 1 s apart). */
const WINDOW_MIN = Math.round(TREND_SAMPLES / 60);
/** Faint fill of the normal operating band: a line leaving it is seen without any color. */
const NORMAL_BAND = 'rgba(255, 255, 255, 0.06)';

/** Props of TrendChart. */
export interface TrendChartProps {
  /** Equipment index. */
  index: number;
  /** Series of that equipment in the trend history (position among its kind's trend signals). */
  series: number;
  def: SignalDef;
  /** The equipment's kind (signal names are translated per kind). */
  kind: EquipmentKind;
}

function readData(index: number, series: number): uPlot.AlignedData {
  const h = trendHistory()?.read(index, series);
  if (!h) return [[], []];
  // uPlot draws gaps for null, not for NaN.
  const ys = Array.from(h.values, (v) => (Number.isFinite(v) ? v : null));
  return [Array.from(h.times), ys];
}

/**
 * Y range: the data with a little headroom, never beyond the signal's encoding range. A flat
 * line gets a band of its own scale (uPlot would otherwise pick 0..100 for a constant 0).
 */
function valueRange(min: number, max: number, def: SignalDef): uPlot.Range.MinMax {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [def.normal[0], def.normal[1]];
  const pad = max > min ? (max - min) * 0.1 : Math.max(Math.abs(min) * 0.05, 10 ** -def.decimals);
  const lo = Math.max(def.min, min - pad);
  const hi = Math.min(def.max, max + pad);
  return hi > lo ? [lo, hi] : [lo, lo + 2 * pad];
}

/**
 * X range: always the whole trend window ending at the newest sample, so a young history fills
 * from the right instead of stretching a few seconds across the chart. Samples are taken once a
 * second of wall time, i.e. `speed` simulated seconds apart.
 */
function timeRange(max: number | null): uPlot.Range.MinMax {
  if (max === null || !Number.isFinite(max)) return [0, 1];
  return [max - (TREND_SAMPLES - 1) * usePlantStore.getState().speed, max];
}

function chartOptions(def: SignalDef, width: number): uPlot.Options {
  const axis = {
    stroke: palette.textDim,
    font: '10px system-ui, sans-serif',
    grid: { stroke: 'rgba(255, 255, 255, 0.05)', width: 1 },
    ticks: { show: false },
  };
  return {
    width,
    height: HEIGHT,
    legend: { show: false },
    cursor: { show: false },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    padding: [8, 4, 6, 0],
    scales: {
      x: { time: false, range: (_u, _min, max) => timeRange(max) },
      y: { range: (_u, min, max) => valueRange(min, max, def) },
    },
    series: [{}, { stroke: palette.text, width: 1.25, points: { show: false } }],
    axes: [
      { ...axis, show: false },
      {
        ...axis,
        size: 40,
        ticks: { show: false },
        values: (_u, ticks) => ticks.map((t) => formatNumber(t, def.decimals)),
      },
    ],
    hooks: {
      drawClear: [
        (u) => {
          // Shade the normal band (clipped to the plot) before the line is drawn.
          const top = u.valToPos(Math.min(def.normal[1], u.scales.y.max ?? def.normal[1]), 'y', true);
          const bottom = u.valToPos(Math.max(def.normal[0], u.scales.y.min ?? def.normal[0]), 'y', true);
          if (!(bottom > top)) return;
          const { left, width } = u.bbox;
          u.ctx.save();
          u.ctx.fillStyle = NORMAL_BAND;
          u.ctx.fillRect(left, top, width, bottom - top);
          u.ctx.restore();
        },
      ],
    },
  };
}

/**
 * A few minutes of one signal, redrawn after each 1 Hz trend sample by uPlot directly (no React).
 */
export function TrendChart({ index, series, def, kind }: TrendChartProps) {
  const { t, locale } = useT();
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const plot = new uPlot(chartOptions(def, el.clientWidth || 260), readData(index, series), el);
    const stop = onTrendSample(() => plot.setData(readData(index, series)));
    return () => {
      stop();
      plot.destroy();
    };
  }, [index, series, def]);

  return (
    <figure className="trend">
      <figcaption className="trend__label">
        {signalLabel(locale, kind, def)}
        {def.unit && <span className="trend__unit"> {unitLabel(locale, def.unit)}</span>}
        <span className="trend__span">{t('trend.window', { n: WINDOW_MIN })}</span>
      </figcaption>
      <div ref={host} className="trend__plot" />
    </figure>
  );
}
