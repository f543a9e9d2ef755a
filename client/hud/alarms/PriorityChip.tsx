import type { CSSProperties } from 'react';
import type { AlarmPriority } from '../../../protocol';
import { priorityKey } from '../../i18n/labels';
import { useT } from '../../i18n/useT';
import { priorityColor, priorityGlyph } from '../../theme';

/** Props of PriorityChip. */
export interface PriorityChipProps {
  priority: AlarmPriority;
  /** Blinks (CSS animation) while the alarm is unacknowledged. */
  blinking?: boolean;
}

/**
 * An alarm priority: its shape (the same as the 3D marker's) and its word, filled with its ISA-18.2
 * color, so priority never rests on color alone. Unacknowledged: blinks, or with reduced motion a
 * steady outline (alarms.css).
 */
export function PriorityChip({ priority, blinking = false }: PriorityChipProps) {
  const { t } = useT();
  return (
    <span
      className={blinking ? 'prio prio--blink' : 'prio'}
      data-priority={priority}
      style={{ '--prio-color': priorityColor[priority] } as CSSProperties}
    >
      <span className="prio__shape" aria-hidden="true">
        {priorityGlyph[priority]}
      </span>
      {t(priorityKey(priority))}
    </span>
  );
}
