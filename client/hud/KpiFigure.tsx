/** Props of KpiFigure. */
export interface KpiFigureProps {
  label: string;
  /** Already formatted. */
  value: string;
}

/** One plant-level figure: the value large, its label small beneath. */
export function KpiFigure({ label, value }: KpiFigureProps) {
  return (
    <div className="kpi__figure">
      <span className="kpi__figure-value figure">{value}</span>
      <span className="kpi__figure-label">{label}</span>
    </div>
  );
}
