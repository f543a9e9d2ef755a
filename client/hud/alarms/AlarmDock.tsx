import { useEffect, useState } from 'react';
import type { MessageKey } from '../../i18n/messages';
import { useT } from '../../i18n/useT';
import { alarmCounts, useAlarmStore } from '../../state/alarmStore';
import { type AlarmTab, useAlarmUiStore } from '../../state/alarmUiStore';
import { AlarmHealth } from './AlarmHealth';
import { AlarmHistory } from './AlarmHistory';
import { AlarmList } from './AlarmList';
import { setToneEnabled, startAlarmTone, toneEnabled } from './alarmTone';
import { isUnacked } from './alarmView';
import './alarms.css';

/** Props of AlarmDock (none). */
export type AlarmDockProps = Record<string, never>;

const TABS: { id: AlarmTab; label: MessageKey }[] = [
  { id: 'alarms', label: 'alarms.tab.alarms' },
  { id: 'history', label: 'alarms.tab.history' },
  { id: 'health', label: 'alarms.tab.health' },
];

/** The newest unacknowledged alarm's id, or null. */
function newestUnacked(): string | null {
  let best: { id: string; at: number } | null = null;
  for (const a of useAlarmStore.getState().alarms.values())
    if (isUnacked(a.state) && (!best || a.raisedAt > best.at)) best = { id: a.id, at: a.raisedAt };
  return best?.id ?? null;
}

/** Alt+N (any layout: the physical N key too) puts the keyboard on the newest unacknowledged alarm. */
function isNewestShortcut(e: KeyboardEvent): boolean {
  return e.altKey && !e.ctrlKey && !e.metaKey && (e.code === 'KeyN' || e.key.toLowerCase() === 'n');
}

/**
 * The alarm panel docked along the bottom of the plant view: the live list, the journal and
 * alarm-system health as tabs, the audible-tone toggle, and a collapse button.
 */
export function AlarmDock(_: AlarmDockProps) {
  const { t } = useT();
  const tr = t;
  const tab = useAlarmUiStore((s) => s.tab);
  const focus = useAlarmUiStore((s) => s.focus);
  const active = useAlarmStore((s) => alarmCounts(s.alarms).active);
  const unacked = useAlarmStore((s) => alarmCounts(s.alarms).unacknowledged);
  const total = useAlarmStore((s) => s.alarms.size);
  const [collapsed, setCollapsed] = useState(false);
  const [tone, setTone] = useState(toneEnabled);
  useEffect(() => startAlarmTone(), []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isNewestShortcut(e)) return;
      e.preventDefault();
      const id = newestUnacked();
      if (id) useAlarmUiStore.getState().focusAlarm(id, true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  // A marker click opens the panel.
  useEffect(() => {
    if (focus) setCollapsed(false);
  }, [focus]);

  return (
    <section
      className={collapsed ? 'alarm-dock panel is-collapsed' : 'alarm-dock panel'}
      aria-label={t('alarms.panel')}
      aria-keyshortcuts="Alt+N"
    >
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
              {tr(t.label)}
              {t.id === 'alarms' && <span className="alarm-dock__count figure">{total}</span>}
            </button>
          ))}
        </div>
        <span className="alarm-dock__summary figure" data-testid="alarm-summary">
          {unacked > 0 && <span className="alarm-dock__unack">{t('alarms.unackCount', { n: unacked })}</span>}
          <span>{t('alarms.activeCount', { n: active })}</span>
        </span>
        <button
          type="button"
          className={tone ? 'toggle is-on' : 'toggle'}
          aria-pressed={tone}
          title={t('alarms.toneTitle')}
          onClick={() => {
            setToneEnabled(!tone);
            setTone(!tone);
          }}
        >
          {tone ? t('alarms.toneOn') : t('alarms.toneOff')}
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={collapsed ? t('alarms.expand') : t('alarms.collapse')}
          aria-expanded={!collapsed}
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
