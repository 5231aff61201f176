import type { ReactNode } from 'react';

interface Props {
  title: string;
  bars: Array<{ label: string; value: number }>;
  formatValue(value: number): string;
  threshold?: { value: number; label: string };
  height?: number;
}

/** A vertical SVG bar chart with value labels; an optional threshold line (the 3 % abandonment limit). */
export function BarChart({ title, bars, formatValue, threshold, height = 180 }: Props): ReactNode {
  // a fixed drawing width: the SVG scales to its box, so text and bars keep one size whatever the count
  const width = 720;
  const pad = { top: 18, right: 12, bottom: 34, left: 12 };
  const innerH = height - pad.top - pad.bottom;
  const max = Math.max(threshold?.value ?? 0, ...bars.map((b) => b.value), 1e-9);
  const slot = (width - pad.left - pad.right) / Math.max(bars.length, 1);
  const barW = Math.min(40, slot * 0.6);
  const sy = (v: number) => pad.top + innerH - (v / max) * innerH;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
        <title>{title}</title>
        <line x1={pad.left} x2={width - pad.right} y1={sy(0)} y2={sy(0)} className="chart-axis" />
        {bars.map((b, i) => {
          const x = pad.left + i * slot + (slot - barW) / 2;
          return (
            <g key={`${b.label}-${i}`}>
              <rect x={x} y={sy(b.value)} width={barW} height={Math.max(0, sy(0) - sy(b.value))} rx={3} className="chart-bar" />
              <text x={x + barW / 2} y={sy(b.value) - 4} textAnchor="middle" className="chart-value">
                {formatValue(b.value)}
              </text>
              <text x={x + barW / 2} y={height - pad.bottom + 14} textAnchor="middle" className="chart-tick">
                {b.label.length > 10 ? `${b.label.slice(0, 9)}…` : b.label}
              </text>
            </g>
          );
        })}
        {threshold && (
          <g>
            <line x1={pad.left} x2={width - pad.right} y1={sy(threshold.value)} y2={sy(threshold.value)} className="chart-threshold" />
            <text x={width - pad.right} y={sy(threshold.value) - 4} textAnchor="end" className="chart-threshold-label">
              {threshold.label}
            </text>
          </g>
        )}
      </svg>
    </figure>
  );
}
