import { useHudSample } from '../hud/useHudSample';
import { useT } from '../i18n/useT';
import { useAlarmStore } from '../state/alarmStore';
import { usePlantStore } from '../state/plantStore';
import { countActiveAlarms } from './alarmFocus';
import { KpiTile } from './KpiTile';
import { LineOeeBars } from './LineOeeBars';
import { samplePlant } from './plantSample';
import { kpiViewKey, type ShowcaseKpiView, showcaseKpiView } from './showcaseKpis';

/** Props of KpiBoard (none: it reads the stores on the HUD tick). */
export type KpiBoardProps = Record<string, never>;

/**
 * The KPI band: plant OEE with its lines, output today vs plan, first-pass yield, vision defect
 * rate, AGV utilization, 5G devices and latency, plant power, active alarms. Sampled at 1 Hz; a
 * commit only when a displayed figure changes.
 */
export function KpiBoard(_: KpiBoardProps) {
  const { locale, t } = useT();
  const view = useHudSample<ShowcaseKpiView | null>(
    () => {
      const { kpis, layout, buffer } = usePlantStore.getState();
      if (!kpis || !layout || !buffer) return null;
      const alarms = countActiveAlarms(useAlarmStore.getState().alarms);
      return showcaseKpiView(locale, kpis, layout, samplePlant(layout, buffer), alarms);
    },
    kpiViewKey,
    [locale],
  );
  if (!view) return null;
  const outputTone = view.outputRatio >= 0.97 ? 'good' : view.outputRatio >= 0.8 ? 'calm' : 'warn';
  return (
    <div className="sc-board" data-testid="kpi-board">
      <KpiTile hero label={t('kpi.oee')} value={view.oee} unit="%" testId="kpi-oee">
        <LineOeeBars lines={view.lines} />
      </KpiTile>
      <KpiTile
        label={t('kpi.output')}
        value={view.output}
        unit={t('unit.units')}
        sub={t('kpi.outputTarget', { target: view.outputTarget })}
        progress={view.outputRatio}
        tone={outputTone}
        testId="kpi-output"
      />
      <KpiTile label={t('kpi.fpy')} value={view.fpy} unit="%" testId="kpi-fpy" />
      <KpiTile
        label={t('kpi.defects')}
        value={view.defects}
        unit="%"
        sub={t('kpi.defectsSub', { rejects: view.rejects, inspected: view.inspected })}
        testId="kpi-defects"
      />
      <KpiTile
        label={t('kpi.agv')}
        value={view.agv}
        unit="%"
        sub={t('kpi.agvSub', { busy: view.agvBusy, total: view.agvTotal })}
        testId="kpi-agv"
      />
      <KpiTile
        label={t('kpi.connections')}
        value={view.connections}
        sub={t('kpi.latency', { value: view.latency })}
        testId="kpi-5g"
      />
      <KpiTile
        label={t('kpi.power')}
        value={view.power}
        unit={t(view.powerUnit === 'mw' ? 'unit.mw' : 'unit.kw')}
        sub={t('kpi.powerSub', { value: view.powerLoad })}
        testId="kpi-power"
      />
      <KpiTile
        label={t('kpi.alarms')}
        value={String(view.alarms)}
        sub={
          view.alarms === 0
            ? t('kpi.alarmsNone')
            : view.urgentAlarms > 0
              ? t('kpi.alarmsUrgent', { n: view.urgentAlarms })
              : t('kpi.alarmsSome')
        }
        tone={view.urgentAlarms > 0 ? 'alarm' : view.alarms > 0 ? 'warn' : 'good'}
        testId="kpi-alarms"
      />
    </div>
  );
}
