import type { CSSProperties } from 'react';
import { isAbnormal, type MachineState } from '../../protocol';
import { stateKey } from '../i18n/labels';
import { useT } from '../i18n/useT';
import { stateColor, stateTextColor } from '../theme';

/** Props of StateChip. */
export interface StateChipProps {
  state: MachineState;
}

/** A machine state in words (never color alone); colored only when the state is abnormal (ISA-101). */
export function StateChip({ state }: StateChipProps) {
  const { t } = useT();
  const abnormal = isAbnormal(state);
  return (
    <span
      className={abnormal ? 'chip chip--abnormal' : 'chip'}
      data-state={state}
      style={
        {
          '--chip-color': abnormal ? stateColor[state] : 'transparent',
          '--chip-text': stateTextColor[state],
        } as CSSProperties
      }
    >
      {t(stateKey(state))}
    </span>
  );
}
