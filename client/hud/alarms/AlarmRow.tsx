import type { KeyboardEvent, MouseEvent } from 'react';
import type { Alarm } from '../../../protocol';
import { alarmStateKey, priorityKey } from '../../i18n/labels';
import { useT } from '../../i18n/useT';
import { SimTag } from '../../training/SimTag';
import { useAlarmText } from './alarmText';
import { formatClock, formatValueLimit, isSuppressedLike, isUnacked } from './alarmView';
import { PriorityChip } from './PriorityChip';

/** Props of AlarmRow. */
export interface AlarmRowProps {
  alarm: Alarm;
  checked: boolean;
  focused: boolean;
  /** The row the Tab key lands on in the list (roving tabindex: one row is in the tab order). */
  tabStop: boolean;
  /** Equipment name (from the layout), for the tooltip. */
  name?: string;
  onToggle: (id: string, e: MouseEvent) => void;
  onOpen: (alarm: Alarm, e: MouseEvent) => void;
  /** Keys on the focused row (Enter, Space, arrows): handled by the list. */
  onKey: (alarm: Alarm, e: KeyboardEvent) => void;
  /** Acknowledges the alarm; absent when the user's role may not (no Ack button then). */
  onAck?: (id: string) => void;
}

const MUTED_ICON: Partial<Record<Alarm['state'], string>> = {
  shelved: '∥',
  suppressed: '⊘',
  'out-of-service': '⊗',
};

/**
 * One alarm: priority, time, equipment, message, value vs limit, state. Unacknowledged rows blink
 * subtly (CSS only); shelved, suppressed and out-of-service rows are muted with an icon.
 */
export function AlarmRow(props: AlarmRowProps) {
  const { alarm: a, checked, focused, tabStop, name, onToggle, onOpen, onKey, onAck } = props;
  const { t } = useT();
  const alarmText = useAlarmText();
  const message = alarmText(a);
  const unacked = isUnacked(a.state);
  const muted = isSuppressedLike(a.state);
  const cls = `alarm-row${unacked ? ' is-unacked' : ''}${muted ? ' is-muted' : ''}${checked ? ' is-checked' : ''}${focused ? ' is-focused' : ''}`;
  return (
    // biome-ignore lint/a11y/useSemanticElements: a dense row of a div table; focusable for the keyboard (Enter acknowledges).
    <div
      role="group"
      aria-label={t('alarmList.rowLabel', {
        priority: t(priorityKey(a.priority)),
        id: a.equipmentId,
        message,
        state: t(alarmStateKey(a.state)),
      })}
      aria-description={t('alarmList.rowHint')}
      tabIndex={tabStop ? 0 : -1}
      className={cls}
      data-testid={`alarm-row-${a.id}`}
      data-alarm={a.id}
      data-equipment={a.equipmentId}
      data-state={a.state}
      data-priority={a.priority}
      onClick={(e) => onOpen(a, e)}
      onKeyDown={(e) => onKey(a, e)}
      title={a.reason ? `${message} (${a.reason})` : message}
    >
      <input
        type="checkbox"
        className="alarm-row__check"
        checked={checked}
        aria-label={t('alarmList.select', { id: a.id })}
        tabIndex={-1}
        onClick={(e) => {
          e.stopPropagation();
          onToggle(a.id, e);
        }}
        onChange={() => {}}
      />
      <PriorityChip priority={a.priority} blinking={unacked} />
      <span className="alarm-row__time figure">{formatClock(a.raisedAt)}</span>
      <span className="alarm-row__eq" title={name}>
        {a.equipmentId}
      </span>
      <span className="alarm-row__msg">
        {a.simulated && <SimTag />}
        {a.firstOut && (
          <span className="alarm-row__first" title={t('alarmList.firstOutTitle')}>
            {t('alarmList.firstOut')}
          </span>
        )}
        {message}
      </span>
      <span className="alarm-row__value figure">{formatValueLimit(a)}</span>
      <span className="alarm-row__state">
        {MUTED_ICON[a.state] && <span aria-hidden="true">{MUTED_ICON[a.state]} </span>}
        {t(alarmStateKey(a.state))}
      </span>
      <span className="alarm-row__act">
        {unacked && onAck && (
          <button
            type="button"
            className="button button--small"
            data-testid={`alarm-ack-${a.id}`}
            tabIndex={-1}
            aria-label={t('alarmList.ackLabel', { id: a.id })}
            onClick={(e) => {
              e.stopPropagation();
              onAck(a.id);
            }}
          >
            {t('alarmList.ack')}
          </button>
        )}
      </span>
    </div>
  );
}
