import type { CSSProperties } from 'react';
import { isAbnormal, type MachineState } from '../../protocol';
import { stateColor, stateLabel } from '../theme';

/** Props of StateChip. */
export interface StateChipProps {
  state: MachineState;
}

/** A machine state label; colored only when the state is abnormal (ISA-101). */
export function StateChip({ state }: StateChipProps) {
  const abnormal = isAbnormal(state);
  return (
    <span
      className={abnormal ? 'chip chip--abnormal' : 'chip'}
      data-state={state}
      style={{ '--chip-color': abnormal ? stateColor[state] : 'transparent' } as CSSProperties}
    >
      {stateLabel[state]}
    </span>
  );
}
