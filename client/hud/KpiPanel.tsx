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
  const view = useHudSample(readKpis, kpiKey, []);
  return (
    <section className="panel kpi" data-testid="kpi-panel" aria-label="Key performance indicators">
      <div className="kpi__plant">
        <KpiFigure label="Plant OEE" value={view.oee} />
        <KpiFigure label="AGV use" value={view.agvUtilization} />
        <KpiFigure label="5G devices" value={view.devices} />
        <KpiFigure label="5G latency" value={view.latency} />
      </div>
      {view.lines.map((l) => (
        <div className="kpi__line" key={l.id} data-line={l.id}>
          <div className="kpi__line-head">
            <span className="kpi__line-name" title={l.name}>
              {l.name}
            </span>
            <StateChip state={l.state} />
          </div>
          <div className="kpi__line-detail figure">
            <span className="kpi__oee" title="Overall equipment effectiveness">
              {l.oee}
            </span>
            <span className="kpi__apq" title="Availability, performance, quality (%)">
              <span>A {l.availability}</span>
              <span>P {l.performance}</span>
              <span>Q {l.quality}</span>
            </span>
            <span title="Units per hour">{l.throughput}/h</span>
            <span title="First-pass yield">FPY {l.fpy}</span>
          </div>
        </div>
      ))}
    </section>
  );
}
