import type { ReactNode } from 'react';

export interface ChartSeries {
  label: string;
  className: string;
  points: Array<{ x: number; y: number }>;
}

interface Props {
  title: string;
  series: ChartSeries[];
  yMax: number;
  formatY(value: number): string;
  formatX(value: number): string;
  threshold?: { value: number; label: string };
  width?: number;
  height?: number;
}

const PAD = { top: 12, right: 16, bottom: 26, left: 48 };

/** A small SVG line chart: fixed y range, optional threshold line, a legend. No chart library. */
export function LineChart({ title, series, yMax, formatY, formatX, threshold, width = 560, height = 200 }: Props): ReactNode {
  const all = series.flatMap((s) => s.points);
  const xs = all.map((p) => p.x);
  const xMin = xs.length ? Math.min(...xs) : 0;
  const xMax = xs.length ? Math.max(...xs) : 1;
  const innerW = width - PAD.left - PAD.right;
  const innerH = height - PAD.top - PAD.bottom;
  const sx = (x: number) => PAD.left + (xMax === xMin ? innerW : ((x - xMin) / (xMax - xMin)) * innerW);
  const sy = (y: number) => PAD.top + innerH - (Math.min(Math.max(y, 0), yMax) / yMax) * innerH;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * yMax);

  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} preserveAspectRatio="xMidYMid meet">
        <title>{title}</title>
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={PAD.left} x2={width - PAD.right} y1={sy(tick)} y2={sy(tick)} className="chart-grid" />
            <text x={PAD.left - 6} y={sy(tick) + 4} textAnchor="end" className="chart-tick">
              {formatY(tick)}
            </text>
          </g>
        ))}
        {xs.length > 0 && (
          <>
            <text x={PAD.left} y={height - 6} className="chart-tick">{formatX(xMin)}</text>
            <text x={width - PAD.right} y={height - 6} textAnchor="end" className="chart-tick">{formatX(xMax)}</text>
          </>
        )}
        {threshold && (
          <g>
            <line x1={PAD.left} x2={width - PAD.right} y1={sy(threshold.value)} y2={sy(threshold.value)} className="chart-threshold" />
            <text x={width - PAD.right - 4} y={sy(threshold.value) - 5} textAnchor="end" className="chart-threshold-label">
              {threshold.label}
            </text>
          </g>
        )}
        {series.map((s) =>
          s.points.length === 1 && s.points[0] ? (
            <circle key={s.label} cx={sx(s.points[0].x)} cy={sy(s.points[0].y)} r={3} className={`chart-dot ${s.className}`} />
          ) : (
            <polyline key={s.label} points={s.points.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ')} className={`chart-line ${s.className}`} />
          ),
        )}
      </svg>
      <figcaption className="chart-legend">
        {series.map((s) => (
          <span key={s.label} className="legend-item">
            <span className={`legend-swatch ${s.className}`} aria-hidden="true" />
            {s.label}
          </span>
        ))}
        {threshold && (
          <span className="legend-item">
            <span className="legend-swatch chart-threshold-swatch" aria-hidden="true" />
            {threshold.label}
          </span>
        )}
      </figcaption>
    </figure>
  );
}
