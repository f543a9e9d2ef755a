import { useT } from '../../i18n/useT';
import type { AlarmSort } from './alarmView';

/** Props of AlarmToolbar. */
export interface AlarmToolbarProps {
  selected: number;
  visibleUnacked: number;
  /** The one selected alarm's state, when exactly one is selected. */
  singleState: string | null;
  sort: AlarmSort;
  /** The user may acknowledge, shelve and unshelve (operator and up). */
  canAct: boolean;
  /** The user may take alarms out of service (admin). */
  canOutOfService: boolean;
  onAckSelected: () => void;
  onAckVisible: () => void;
  onShelve: () => void;
  onUnshelve: () => void;
  onOutOfService: () => void;
  onSort: (sort: AlarmSort) => void;
  onClearSelection: () => void;
}

/**
 * Actions on the selected rows (acknowledge, shelve, unshelve, out of service) and the sort toggle.
 * Actions the user's role may not take are not shown (the server refuses them anyway).
 */
export function AlarmToolbar(p: AlarmToolbarProps) {
  const { t } = useT();
  const one = p.selected === 1;
  const oos = p.singleState === 'out-of-service';
  return (
    <div className="alarm-toolbar">
      {p.canAct && (
        <>
          <button
            type="button"
            className="button button--small"
            disabled={p.selected === 0}
            onClick={p.onAckSelected}
            data-testid="alarm-ack-selected"
          >
            {t('alarmBar.ackSelected')}
            {p.selected > 0 ? ` (${p.selected})` : ''}
          </button>
          <button
            type="button"
            className="button button--small"
            disabled={p.visibleUnacked === 0}
            onClick={p.onAckVisible}
            data-testid="alarm-ack-visible"
            title={t('alarmBar.ackVisibleTitle')}
          >
            {t('alarmBar.ackVisible')}
            {p.visibleUnacked > 0 ? ` (${p.visibleUnacked})` : ''}
          </button>
          <span className="alarm-toolbar__sep" />
          <button
            type="button"
            className="button button--small"
            disabled={!one}
            onClick={p.onShelve}
            data-testid="alarm-shelve"
          >
            {t('alarmBar.shelve')}
          </button>
          <button
            type="button"
            className="button button--small"
            disabled={!one || p.singleState !== 'shelved'}
            onClick={p.onUnshelve}
          >
            {t('alarmBar.unshelve')}
          </button>
        </>
      )}
      {p.canOutOfService && (
        <button
          type="button"
          className="button button--small"
          disabled={!one}
          onClick={p.onOutOfService}
          data-testid="alarm-out-of-service"
        >
          {oos ? t('alarmBar.rts') : t('alarmBar.oos')}
        </button>
      )}
      {p.selected > 0 && (p.canAct || p.canOutOfService) && (
        <button type="button" className="link-button" onClick={p.onClearSelection}>
          {t('alarmBar.clear')}
        </button>
      )}
      <span className="alarm-toolbar__spacer" />
      <span className="alarm-toolbar__label">{t('alarmBar.sort')}</span>
      <button
        type="button"
        className={p.sort === 'priority' ? 'toggle is-on' : 'toggle'}
        onClick={() => p.onSort('priority')}
      >
        {t('alarmBar.byPriority')}
      </button>
      <button
        type="button"
        className={p.sort === 'time' ? 'toggle is-on' : 'toggle'}
        onClick={() => p.onSort('time')}
        data-testid="alarm-sort-time"
      >
        {t('alarmBar.byTime')}
      </button>
    </div>
  );
}
