import { type MouseEvent, useMemo, useState } from 'react';
import { type Alarm, pickText } from '../../protocol';
import { AlarmRow } from '../hud/alarms/AlarmRow';
import { sortAlarms } from '../hud/alarms/alarmView';
import { useT } from '../i18n/useT';
import { alarmCounts, useAlarmStore } from '../state/alarmStore';
import { usePlantStore } from '../state/plantStore';
import { useSelectionStore } from '../state/selectionStore';
import '../hud/alarms/alarms.css';

/** Rows rendered at most, as in the live list. */
const MAX_ROWS = 400;

/** Props of ReplayAlarmPanel (none: it reads the alarm store the player fills). */
export type ReplayAlarmPanelProps = Record<string, never>;

const noop = () => {};

/**
 * The alarm list as it stood at the playback time, read-only (nothing is acknowledged in a
 * replay): the same rows as the live list, by priority; a row click flies to the equipment.
 */
export function ReplayAlarmPanel(_: ReplayAlarmPanelProps) {
  const { t, locale } = useT();
  const alarms = useAlarmStore((s) => s.alarms);
  const layout = usePlantStore((s) => s.layout);
  const [collapsed, setCollapsed] = useState(false);
  const names = useMemo(
    () => new Map(layout?.equipment.map((e) => [e.id, pickText(e.name, e.names, locale)]) ?? []),
    [layout, locale],
  );
  const rows = useMemo(() => sortAlarms([...alarms.values()], 'priority'), [alarms]);
  const counts = alarmCounts(alarms);
  const open = (a: Alarm, _e: MouseEvent) => useSelectionStore.getState().flyToEquipment(a.equipmentId);
  return (
    <section
      className={collapsed ? 'alarm-dock panel is-collapsed' : 'alarm-dock panel'}
      aria-label={t('replay.alarms')}
    >
      <header className="alarm-dock__head">
        <span className="alarm-dock__tab is-on">
          {t('replay.alarms')}
          <span className="alarm-dock__count figure">{alarms.size}</span>
        </span>
        <span className="alarm-dock__summary figure" data-testid="alarm-summary">
          {counts.unacknowledged > 0 && (
            <span className="alarm-dock__unack">{t('alarms.unackCount', { n: counts.unacknowledged })}</span>
          )}
          <span>{t('alarms.activeCount', { n: counts.active })}</span>
        </span>
        <button
          type="button"
          className="icon-button"
          aria-label={collapsed ? t('alarms.expand') : t('alarms.collapse')}
          onClick={() => setCollapsed(!collapsed)}
        >
          {collapsed ? '▴' : '▾'}
        </button>
      </header>
      {!collapsed && (
        <div className="alarm-list" data-testid="alarm-list">
          <div className="alarm-table">
            <div className="alarm-row alarm-row--head">
              <span />
              <span>{t('alarmList.priority')}</span>
              <span>{t('alarmList.time')}</span>
              <span>{t('alarmList.equipment')}</span>
              <span>{t('alarmList.message')}</span>
              <span>{t('alarmList.valueLimit')}</span>
              <span>{t('alarmList.state')}</span>
              <span />
            </div>
            <div className="alarm-table__body">
              {rows.length === 0 && <div className="alarm-table__empty">{t('replay.noAlarms')}</div>}
              {rows.slice(0, MAX_ROWS).map((a) => (
                <AlarmRow
                  key={a.id}
                  alarm={a}
                  checked={false}
                  focused={false}
                  tabStop={false}
                  onKey={() => {}}
                  name={names.get(a.equipmentId)}
                  onToggle={noop}
                  onOpen={open}
                />
              ))}
            </div>
          </div>
        </div>
      )}
    </section>
  );
}
