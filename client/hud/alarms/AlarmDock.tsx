import { useEffect, useState } from 'react';
import { alarmCounts, useAlarmStore } from '../../state/alarmStore';
import { type AlarmTab, useAlarmUiStore } from '../../state/alarmUiStore';
import { AlarmHealth } from './AlarmHealth';
import { AlarmHistory } from './AlarmHistory';
import { AlarmList } from './AlarmList';
import { setToneEnabled, startAlarmTone, toneEnabled } from './alarmTone';
import './alarms.css';

/** Props of AlarmDock (none). */
export type AlarmDockProps = Record<string, never>;

const TABS: { id: AlarmTab; label: string }[] = [
  { id: 'alarms', label: 'Alarms' },
  { id: 'history', label: 'History' },
  { id: 'health', label: 'Health' },
];

/**
 * The alarm panel docked along the bottom of the plant view: the live list, the journal and
 * alarm-system health as tabs, the audible-tone toggle, and a collapse button.
 */
export function AlarmDock(_: AlarmDockProps) {
  const tab = useAlarmUiStore((s) => s.tab);
  const focus = useAlarmUiStore((s) => s.focus);
  const active = useAlarmStore((s) => alarmCounts(s.alarms).active);
  const unacked = useAlarmStore((s) => alarmCounts(s.alarms).unacknowledged);
  const total = useAlarmStore((s) => s.alarms.size);
  const [collapsed, setCollapsed] = useState(false);
  const [tone, setTone] = useState(toneEnabled);
  useEffect(() => startAlarmTone(), []);
  // A marker click opens the panel.
  useEffect(() => {
    if (focus) setCollapsed(false);
  }, [focus]);

  return (
    <section className={collapsed ? 'alarm-dock panel is-collapsed' : 'alarm-dock panel'} aria-label="Alarms">
      <header className="alarm-dock__head">
        <div className="alarm-dock__tabs" role="tablist">
          {TABS.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              aria-selected={tab === t.id}
              className={tab === t.id ? 'alarm-dock__tab is-on' : 'alarm-dock__tab'}
              data-testid={`alarm-tab-${t.id}`}
              onClick={() => {
                useAlarmUiStore.getState().setTab(t.id);
                setCollapsed(false);
              }}
            >
              {t.label}
              {t.id === 'alarms' && <span className="alarm-dock__count figure">{total}</span>}
            </button>
          ))}
        </div>
        <span className="alarm-dock__summary figure" data-testid="alarm-summary">
          {unacked > 0 && <span className="alarm-dock__unack">{unacked} unack</span>}
          <span>{active} active</span>
        </span>
        <button
          type="button"
          className={tone ? 'toggle is-on' : 'toggle'}
          aria-pressed={tone}
          title="Audible tone for new alarms (pitch per priority)"
          onClick={() => {
            setToneEnabled(!tone);
            setTone(!tone);
          }}
        >
          {tone ? '♪ Tone on' : '♪ Tone off'}
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={collapsed ? 'Expand the alarm panel' : 'Collapse the alarm panel'}
          onClick={() => setCollapsed(!collapsed)}
        >
          {collapsed ? '▴' : '▾'}
        </button>
      </header>
      {!collapsed && tab === 'alarms' && <AlarmList />}
      {!collapsed && tab === 'history' && <AlarmHistory />}
      {!collapsed && tab === 'health' && <AlarmHealth />}
    </section>
  );
}
