import { lineDisplayName } from '../i18n/codedText';
import { useT } from '../i18n/useT';
import { usePlantStore } from '../state/plantStore';
import { KpiFigure } from './KpiFigure';
import { kpiKey, kpiView } from './kpiView';
import { StateChip } from './StateChip';
import { useHudSample } from './useHudSample';
import './kpiPanel.css';

/** Props of KpiPanel (none: it reads the plant store). */
export type KpiPanelProps = Record<string, never>;

// Read on the HUD tick rather than subscribed: KPI updates then share the clock's commit.
const readKpis = () => kpiView(usePlantStore.getState().kpis);

/** Plant figures and, per production line, state, OEE with its factors, output and yield. */
export function KpiPanel(_: KpiPanelProps) {
  const { t, locale } = useT();
  const view = useHudSample(readKpis, kpiKey, [locale]);
  const layout = usePlantStore((s) => s.layout);
  const lineName = (id: string, fallback: string) =>
    layout?.lines.some((l) => l.id === id) ? lineDisplayName(locale, layout, id) : fallback;
  return (
    <section className="panel kpi" data-testid="kpi-panel" aria-label={t('kpiPanel.label')}>
      <div className="kpi__plant">
        <KpiFigure label={t('kpiPanel.oee')} value={view.oee} />
        <KpiFigure label={t('kpiPanel.agv')} value={view.agvUtilization} />
        <KpiFigure label={t('kpiPanel.devices')} value={view.devices} />
        <KpiFigure label={t('kpiPanel.latency')} value={view.latency} />
      </div>
      {view.lines.map((l) => (
        <div className="kpi__line" key={l.id} data-line={l.id}>
          <div className="kpi__line-head">
            <span className="kpi__line-name" title={lineName(l.id, l.name)}>
              {lineName(l.id, l.name)}
            </span>
            <StateChip state={l.state} />
          </div>
          <div className="kpi__line-detail figure">
            <span className="kpi__oee" title={t('kpiPanel.oeeTitle')}>
              {l.oee}
            </span>
            <span className="kpi__apq" title={t('kpiPanel.apqTitle')}>
              <span>{t('kpiPanel.a', { v: l.availability })}</span>
              <span>{t('kpiPanel.p', { v: l.performance })}</span>
              <span>{t('kpiPanel.q', { v: l.quality })}</span>
            </span>
            <span title={t('kpiPanel.perHourTitle')}>{t('kpiPanel.perHour', { n: l.throughput })}</span>
            <span title={t('kpiPanel.fpyTitle')}>{t('kpiPanel.fpy', { v: l.fpy })}</span>
          </div>
        </div>
      ))}
    </section>
  );
}
