import { useEffect, useState } from 'react';
import type { AlarmStats } from '../../../protocol';
import { fetchAlarmStats } from '../../net/alarmActions';
import { useAlarmUiStore } from '../../state/alarmUiStore';
import { useSelectionStore } from '../../state/selectionStore';

/** Poll period of `GET /api/alarms/stats` while the panel is shown, ms. */
const POLL_MS = 5000;

/** Props of AlarmHealth (none). */
export type AlarmHealthProps = Record<string, never>;

function equipmentOf(alarmId: string): string {
  const at = alarmId.lastIndexOf('@');
  return at >= 0 ? alarmId.slice(at + 1) : alarmId;
}

/**
 * Alarm-system health (ISA-18.2 / EEMUA 191): rate per 10 min, flood, standing, stale, chattering
 * and the top 10. Polled while shown; re-renders only when the figures change.
 */
export function AlarmHealth(_: AlarmHealthProps) {
  const [stats, setStats] = useState<AlarmStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let last = '';
    let live = true;
    const poll = () =>
      fetchAlarmStats()
        .then((s) => {
          const key = JSON.stringify(s);
          if (!live || key === last) return;
          last = key;
          setStats(s);
          setError(null);
        })
        .catch((err: Error) => live && setError(`Cannot load alarm statistics: ${err.message}`));
    void poll();
    const timer = setInterval(poll, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);
  const open = (alarmId: string) => {
    useSelectionStore.getState().flyToEquipment(equipmentOf(alarmId));
    useAlarmUiStore.getState().focusAlarm(alarmId);
  };
  return (
    <div className="alarm-health" data-testid="alarm-health">
      {error && <div className="alarm-table__empty">{error}</div>}
      {stats && (
        <>
          <dl className="alarm-health__figures">
            <div className={stats.flood ? 'alarm-health__fig is-alert' : 'alarm-health__fig'}>
              <dt>Per 10 min</dt>
              <dd className="figure" data-testid="alarm-health-rate">
                {stats.per10Min}
              </dd>
            </div>
            <div className={stats.flood ? 'alarm-health__fig is-alert' : 'alarm-health__fig'}>
              <dt>Flood</dt>
              <dd data-testid="alarm-health-flood">{stats.flood ? 'FLOOD' : 'No'}</dd>
            </div>
            <div className="alarm-health__fig">
              <dt>Active / unack</dt>
              <dd className="figure">
                {stats.active} / {stats.unacknowledged}
              </dd>
            </div>
            <div className="alarm-health__fig">
              <dt>Standing</dt>
              <dd className="figure">{stats.standing}</dd>
            </div>
            <div className="alarm-health__fig">
              <dt>Stale</dt>
              <dd className="figure">{stats.stale}</dd>
            </div>
            <div className={stats.chattering.length > 0 ? 'alarm-health__fig is-warn' : 'alarm-health__fig'}>
              <dt>Chattering</dt>
              <dd className="figure" title={stats.chattering.join('\n')}>
                {stats.chattering.length}
              </dd>
            </div>
          </dl>
          <div className="alarm-health__top">
            <div className="alarm-health__subtitle">Most frequent</div>
            {stats.top.length === 0 && <div className="alarm-table__empty">None yet</div>}
            <ol>
              {stats.top.slice(0, 10).map((t) => (
                <li key={t.alarmId}>
                  <button type="button" className="link-button" onClick={() => open(t.alarmId)}>
                    {t.alarmId}
                  </button>
                  <span className="figure">{t.count}</span>
                </li>
              ))}
            </ol>
          </div>
        </>
      )}
    </div>
  );
}
