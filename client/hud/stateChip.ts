import { isAbnormal, type MachineState } from '../../protocol';
import { stateKey } from '../i18n/labels';
import { currentLocale } from '../i18n/localeStore';
import { translate } from '../i18n/messages';
import { stateColor, stateTextColor } from '../theme';

/**
 * Paints a state chip element in place: the label always, color only when the state is abnormal
 * (ISA-101: normal states stay gray). Shared by the React StateChip and the inspector, which
 * repaints its chip through a ref at 4 Hz without rendering.
 */
export function paintStateChip(el: HTMLElement, state: MachineState): void {
  const locale = currentLocale();
  if (el.dataset.state === state && el.lang === locale) return;
  el.dataset.state = state;
  el.lang = locale;
  el.textContent = translate(locale, stateKey(state));
  const abnormal = isAbnormal(state);
  el.classList.toggle('chip--abnormal', abnormal);
  el.style.setProperty('--chip-color', abnormal ? stateColor[state] : 'transparent');
  el.style.setProperty('--chip-text', stateTextColor[state]);
}
