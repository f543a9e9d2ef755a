import { useEffect, useState } from 'react';
import type { AlarmTransition } from '../../../protocol';
import { alarmStateKey } from '../../i18n/labels';
import { useT } from '../../i18n/useT';
import { fetchAlarmHistory } from '../../net/alarmActions';
import { useSelectionStore } from '../../state/selectionStore';
import { useAlarmText } from './alarmText';
import { formatClock } from './alarmView';
import { PriorityChip } from './PriorityChip';

/** Journal entries per page. */
const PAGE = 50;

/** Props of AlarmHistory (none). */
export type AlarmHistoryProps = Record<string, never>;

/** The alarm journal (`GET /api/alarms/history`), newest first, paged by time, filterable by equipment. */
export function AlarmHistory(_: AlarmHistoryProps) {
  const { t } = useT();
  const tr = t;
  const alarmText = useAlarmText();
  const selectedId = useSelectionStore((s) => s.selectedId);
  const [equipment, setEquipment] = useState('');
  /** Upper time bound of each page shown so far (undefined = now). */
  const [pages, setPages] = useState<(number | undefined)[]>([undefined]);
  const [rows, setRows] = useState<AlarmTransition[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const to = pages[pages.length - 1];

  useEffect(() => {
    let live = true;
    setError(null);
    fetchAlarmHistory({ to, equipment: equipment.trim() || undefined, limit: PAGE })
      .then((r) => live && setRows(r.slice(0, PAGE)))
      .catch((err: Error) => live && setError(err.message));
    return () => {
      live = false;
    };
  }, [to, equipment]);

  const older = rows && rows.length === PAGE ? rows[rows.length - 1].at - 1 : null;
  return (
    <div className="alarm-history" data-testid="alarm-history">
      <div className="alarm-toolbar">
        <input
          className="alarm-history__filter"
          placeholder={t('alarmHistory.equipment')}
          aria-label={t('alarmHistory.filter')}
          value={equipment}
          onChange={(e) => {
            setEquipment(e.target.value);
            setPages([undefined]);
          }}
        />
        {selectedId && selectedId !== equipment && (
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setEquipment(selectedId);
              setPages([undefined]);
            }}
          >
            {t('alarmHistory.selected', { id: selectedId })}
          </button>
        )}
        <span className="alarm-toolbar__spacer" />
        <button
          type="button"
          className="button button--small"
          disabled={pages.length <= 1}
          onClick={() => setPages((p) => p.slice(0, -1))}
        >
          {t('alarmHistory.newer')}
        </button>
        <button
          type="button"
          className="button button--small"
          disabled={older === null}
          onClick={() => older !== null && setPages((p) => [...p, older])}
        >
          {t('alarmHistory.older')}
        </button>
      </div>
      <div className="alarm-table__body">
        {error && <div className="alarm-table__empty">{t('alarmHistory.error', { message: error })}</div>}
        {!error && rows?.length === 0 && <div className="alarm-table__empty">{t('alarmHistory.empty')}</div>}
        {rows?.map((t) => (
          <div key={t.seq} className="history-row" data-seq={t.seq}>
            <span className="figure alarm-row__time">{formatClock(t.at)}</span>
            <PriorityChip priority={t.alarm.priority} />
            <span className="alarm-row__eq">{t.equipmentId}</span>
            <span className="alarm-row__msg">{alarmText(t.alarm)}</span>
            <span className="history-row__change">
              {tr(alarmStateKey(t.from))} → {tr(alarmStateKey(t.to))}
            </span>
            <span className="history-row__who">
              {t.user ?? tr('alarmHistory.system')}
              {t.reason ? ` · ${t.reason}` : ''}
            </span>
          </div>
        ))}
      </div>
    </div>
  );
}
