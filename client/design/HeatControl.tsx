import { formatNumber } from '../hud/format';
import { useT } from '../i18n/useT';
import { useDesignPanels } from './designPanels';
import { type HeatKind, heatGradient, heatRange } from './whatIfView';

/** Props of HeatControl (none: it reads the what-if's answer). */
export type HeatControlProps = Record<string, never>;

/**
 * Under the view, once a what-if has run: which of the draft's heat maps the floor shows (none, AGV
 * traffic, 5G RSRP), and the shown one's colour scale with its ends.
 */
export function HeatControl(_: HeatControlProps) {
  const { t } = useT();
  const whatIf = useDesignPanels((s) => s.whatIf);
  const heat = useDesignPanels((s) => s.heat);
  if (!whatIf) return null;
  const set = (k: HeatKind | null) => useDesignPanels.setState({ heat: k });
  const option = (k: HeatKind | null, label: string) => (
    <button
      type="button"
      className={heat === k ? 'button is-on' : 'button'}
      aria-pressed={heat === k}
      onClick={() => set(k)}
      data-testid={`heat-${k ?? 'off'}`}
    >
      {label}
    </button>
  );
  const grid = heat ? (heat === 'rsrp' ? whatIf.draft.heat.rsrp : whatIf.draft.heat.agvTraffic) : null;
  const range = heat && grid ? heatRange(heat, grid) : null;
  return (
    <div className="design-heat panel" data-testid="design-heat">
      <fieldset className="design-group design-segment">
        <legend className="design-heat__title">{t('design.heat.title')}</legend>
        {option(null, t('design.heat.off'))}
        {option('traffic', t('design.heat.traffic'))}
        {option('rsrp', t('design.heat.rsrp'))}
      </fieldset>
      {heat && range && (
        <div className="design-heat__legend" data-testid="heat-legend">
          <span className="figure">{formatNumber(range[0], 0)}</span>
          <span className="design-heat__bar" style={{ background: heatGradient(heat) }} aria-hidden="true" />
          <span className="figure">{formatNumber(range[1], 0)}</span>
          <span className="design-muted">
            {t(heat === 'rsrp' ? 'design.heat.rsrpUnit' : 'design.heat.trafficUnit')}
          </span>
        </div>
      )}
    </div>
  );
}
