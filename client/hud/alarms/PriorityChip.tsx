import type { CSSProperties } from 'react';
import type { AlarmPriority } from '../../../protocol';
import { priorityColor } from '../../theme';
import { PRIORITY_LABEL } from './alarmView';

/** Props of PriorityChip. */
export interface PriorityChipProps {
  priority: AlarmPriority;
  /** Blinks (CSS animation) while the alarm is unacknowledged. */
  blinking?: boolean;
}

/** An alarm priority label filled with its ISA-18.2 color. */
export function PriorityChip({ priority, blinking = false }: PriorityChipProps) {
  return (
    <span
      className={blinking ? 'prio prio--blink' : 'prio'}
      data-priority={priority}
      style={{ '--prio-color': priorityColor[priority] } as CSSProperties}
    >
      {PRIORITY_LABEL[priority]}
    </span>
  );
}
