import { AlarmBanner } from '../hud/alarms/AlarmBanner';
import { AlarmDock } from '../hud/alarms/AlarmDock';
import { Toasts } from '../hud/alarms/Toasts';
import { AuditPanel } from '../hud/audit/AuditPanel';
import { EventTicker } from '../hud/EventTicker';
import { FaultList } from '../hud/FaultList';
import { Inspector } from '../hud/Inspector';
import { KpiPanel } from '../hud/KpiPanel';
import { SourcesPanel } from '../hud/sources/SourcesPanel';
import { TopBar } from '../hud/TopBar';
import { useConnectionStore } from '../state/connectionStore';

/** Props of OperatorMode (none). */
export type OperatorModeProps = Record<string, never>;

/**
 * The control-room console: top bar, KPIs, abnormal equipment and recent events on the left,
 * the inspector on the right (the audit trail or the data sources' health over it, for admins and
 * operators), the alarm banner on top and the alarm panel along the bottom, the 3D plant
 * everywhere else. Figures dim while data is not live.
 */
export function OperatorMode(_: OperatorModeProps) {
  const live = useConnectionStore((s) => s.status === 'live');
  return (
    <div className={live ? 'hud' : 'hud hud--not-live'}>
      <TopBar />
      <AlarmBanner />
      <div className="hud__left">
        <KpiPanel />
        <FaultList />
        <EventTicker />
      </div>
      <AlarmDock />
      <Inspector />
      <AuditPanel />
      <SourcesPanel />
      <Toasts />
    </div>
  );
}
