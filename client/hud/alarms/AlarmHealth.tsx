import { useEffect, useState } from 'react';
import type { AlarmStats } from '../../../protocol';
import { useT } from '../../i18n/useT';
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
  const { t } = useT();
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
        .catch((err: Error) => live && setError(err.message));
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
      {error && <div className="alarm-table__empty">{t('alarmHealth.error', { message: error })}</div>}
      {stats && (
        <>
          <dl className="alarm-health__figures">
            <div className={stats.flood ? 'alarm-health__fig is-alert' : 'alarm-health__fig'}>
              <dt>{t('alarmHealth.per10')}</dt>
              <dd className="figure" data-testid="alarm-health-rate">
                {stats.per10Min}
              </dd>
            </div>
            <div className={stats.flood ? 'alarm-health__fig is-alert' : 'alarm-health__fig'}>
              <dt>{t('alarmHealth.flood')}</dt>
              <dd data-testid="alarm-health-flood">
                {stats.flood ? t('alarmHealth.floodYes') : t('alarmHealth.floodNo')}
              </dd>
            </div>
            <div className="alarm-health__fig">
              <dt>{t('alarmHealth.activeUnack')}</dt>
              <dd className="figure">
                {stats.active} / {stats.unacknowledged}
              </dd>
            </div>
            <div className="alarm-health__fig">
              <dt>{t('alarmHealth.standing')}</dt>
              <dd className="figure">{stats.standing}</dd>
            </div>
            <div className="alarm-health__fig">
              <dt>{t('alarmHealth.stale')}</dt>
              <dd className="figure">{stats.stale}</dd>
            </div>
            <div className={stats.chattering.length > 0 ? 'alarm-health__fig is-warn' : 'alarm-health__fig'}>
              <dt>{t('alarmHealth.chattering')}</dt>
              <dd className="figure" title={stats.chattering.join('\n')}>
                {stats.chattering.length}
              </dd>
            </div>
          </dl>
          <div className="alarm-health__top">
            <div className="alarm-health__subtitle">{t('alarmHealth.top')}</div>
            {stats.top.length === 0 && <div className="alarm-table__empty">{t('alarmHealth.none')}</div>}
            <ol>
              {stats.top.slice(0, 10).map((top) => (
                <li key={top.alarmId}>
                  <button type="button" className="link-button" onClick={() => open(top.alarmId)}>
                    {top.alarmId}
                  </button>
                  <span className="figure">{top.count}</span>
                </li>
              ))}
            </ol>
          </div>
        </>
      )}
    </div>
  );
}
