import { isAbnormal, type MachineState } from '../../protocol';
import { stateColor, stateLabel } from '../theme';

/**
 * Paints a state chip element in place: the label always, color only when the state is abnormal
 * (ISA-101: normal states stay gray). Shared by the React StateChip and the inspector, which
 * repaints its chip through a ref at 4 Hz without rendering.
 */
export function paintStateChip(el: HTMLElement, state: MachineState): void {
  if (el.dataset.state === state) return;
  el.dataset.state = state;
  el.textContent = stateLabel[state];
  const abnormal = isAbnormal(state);
  el.classList.toggle('chip--abnormal', abnormal);
  el.style.setProperty('--chip-color', abnormal ? stateColor[state] : 'transparent');
}
