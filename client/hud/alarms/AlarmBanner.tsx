import type { CSSProperties } from 'react';
import { can } from '../../../protocol';
import { useAuthStore } from '../../auth/authStore';
import { useT } from '../../i18n/useT';
import { ackAlarms } from '../../net/alarmActions';
import { useAlarmStore } from '../../state/alarmStore';
import { reportResult, useAlarmUiStore } from '../../state/alarmUiStore';
import { useSelectionStore } from '../../state/selectionStore';
import { priorityColor } from '../../theme';
import { SimTag } from '../../training/SimTag';
import { useAlarmText } from './alarmText';
import { bannerAlarm, formatClock, formatValueLimit, isUnacked } from './alarmView';
import { PriorityChip } from './PriorityChip';

/** Props of AlarmBanner (none: it reads the alarm store). */
export type AlarmBannerProps = Record<string, never>;

/**
 * A slim strip with the newest highest-priority unacknowledged alarm and the count of
 * unacknowledged ones; a click flies to the equipment, Ack (operator and up) acknowledges it.
 * Absent when all is acked.
 */
export function AlarmBanner(_: AlarmBannerProps) {
  const { t } = useT();
  const alarmText = useAlarmText();
  const alarms = useAlarmStore((s) => s.alarms);
  const canAck = useAuthStore((s) => can(s.role, 'alarm:act'));
  const top = bannerAlarm(alarms.values());
  if (!top) return null;
  let unacked = 0;
  for (const a of alarms.values()) if (isUnacked(a.state)) unacked++;
  const open = () => {
    useSelectionStore.getState().flyToEquipment(top.equipmentId);
    useAlarmUiStore.getState().focusAlarm(top.id);
  };
  return (
    <div
      className="alarm-banner panel"
      data-testid="alarm-banner"
      data-priority={top.priority}
      style={{ '--prio-color': priorityColor[top.priority] } as CSSProperties}
    >
      <button type="button" className="alarm-banner__main" onClick={open} title={t('alarmBanner.flyTo')}>
        <PriorityChip priority={top.priority} blinking />
        <span className="alarm-banner__time figure">{formatClock(top.raisedAt)}</span>
        <span className="alarm-banner__eq">{top.equipmentId}</span>
        <span className="alarm-banner__msg">
          {top.simulated && <SimTag />}
          {alarmText(top)}
        </span>
        <span className="alarm-banner__value figure">{formatValueLimit(top)}</span>
      </button>
      <span className="alarm-banner__count figure" title={t('alarmBanner.unackTitle')}>
        {t('alarms.unackCount', { n: unacked })}
      </span>
      {canAck && (
        <button
          type="button"
          className="button button--small"
          data-testid="alarm-banner-ack"
          onClick={() => void ackAlarms([top.id]).then(reportResult)}
        >
          {t('alarmBanner.ack')}
        </button>
      )}
    </div>
  );
}
