import type { MouseEvent } from 'react';
import type { Alarm } from '../../../protocol';
import { SimTag } from '../../training/SimTag';
import { ALARM_STATE_LABEL, formatClock, formatValueLimit, isSuppressedLike, isUnacked } from './alarmView';
import { PriorityChip } from './PriorityChip';

/** Props of AlarmRow. */
export interface AlarmRowProps {
  alarm: Alarm;
  checked: boolean;
  focused: boolean;
  /** Equipment name (from the layout), for the tooltip. */
  name?: string;
  onToggle: (id: string, e: MouseEvent) => void;
  onOpen: (alarm: Alarm, e: MouseEvent) => void;
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
export function AlarmRow({ alarm: a, checked, focused, name, onToggle, onOpen, onAck }: AlarmRowProps) {
  const unacked = isUnacked(a.state);
  const muted = isSuppressedLike(a.state);
  const cls = `alarm-row${unacked ? ' is-unacked' : ''}${muted ? ' is-muted' : ''}${checked ? ' is-checked' : ''}${focused ? ' is-focused' : ''}`;
  return (
    // biome-ignore lint/a11y/useSemanticElements: a grid row of a data table built from divs (dense layout).
    <div
      role="row"
      tabIndex={-1}
      className={cls}
      data-testid={`alarm-row-${a.id}`}
      data-alarm={a.id}
      data-equipment={a.equipmentId}
      data-state={a.state}
      data-priority={a.priority}
      onClick={(e) => onOpen(a, e)}
      onKeyDown={(e) => e.key === 'Enter' && onOpen(a, e as unknown as MouseEvent)}
      title={a.reason ? `${a.message} (${a.reason})` : a.message}
    >
      <input
        type="checkbox"
        className="alarm-row__check"
        checked={checked}
        aria-label={`Select ${a.id}`}
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
          <span className="alarm-row__first" title="First-out: first alarm of a burst on its line">
            1st
          </span>
        )}
        {a.message}
      </span>
      <span className="alarm-row__value figure">{formatValueLimit(a)}</span>
      <span className="alarm-row__state">
        {MUTED_ICON[a.state] && <span aria-hidden="true">{MUTED_ICON[a.state]} </span>}
        {ALARM_STATE_LABEL[a.state]}
      </span>
      <span className="alarm-row__act">
        {unacked && onAck && (
          <button
            type="button"
            className="button button--small"
            data-testid={`alarm-ack-${a.id}`}
            onClick={(e) => {
              e.stopPropagation();
              onAck(a.id);
            }}
          >
            Ack
          </button>
        )}
      </span>
    </div>
  );
}
