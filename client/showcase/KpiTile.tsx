import type { ReactNode } from 'react';

/** Props of KpiTile. */
export interface KpiTileProps {
  label: string;
  /** Already formatted. */
  value: string;
  unit?: string;
  /** One short line under the value (context: target, sample size). */
  sub?: ReactNode;
  /** 0..1 fill of a thin progress bar under the value; none when undefined. */
  progress?: number;
  /** Tone of the value: calm by default, warn/alarm only when something needs attention. */
  tone?: 'calm' | 'good' | 'warn' | 'alarm';
  testId?: string;
  /** Extra content below (the hero tile's per-line bars). */
  children?: ReactNode;
  hero?: boolean;
}

/** One big, room-legible figure: label above, value with unit, one line of context below. */
export function KpiTile({
  label,
  value,
  unit,
  sub,
  progress,
  tone = 'calm',
  testId,
  children,
  hero,
}: KpiTileProps) {
  return (
    <section className={`sc-tile sc-tile--${tone}${hero ? ' sc-tile--hero' : ''}`} data-testid={testId}>
      <h2 className="sc-tile__label">{label}</h2>
      <p className="sc-tile__value">
        <span className="sc-tile__number" data-testid={testId ? `${testId}-value` : undefined}>
          {value}
        </span>
        {unit && <span className="sc-tile__unit">{unit}</span>}
      </p>
      {progress !== undefined && (
        <div className="sc-tile__bar" aria-hidden="true">
          <div className="sc-tile__fill" style={{ width: `${Math.min(1, Math.max(0, progress)) * 100}%` }} />
        </div>
      )}
      {sub && <p className="sc-tile__sub">{sub}</p>}
      {children}
    </section>
  );
}
