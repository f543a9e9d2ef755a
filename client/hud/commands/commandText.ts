import type { CodedText, CommandAction, EquipmentCommandRequest } from '../../../protocol';
import type { Locale, MessageKey } from '../../i18n/messages';
import { refusalText } from '../../i18n/refusalText';
import { secondsLeft } from '../countdown';
import type { CommandFlowState } from './commandFlow';

/** A translator (useT's `t`, or `translate` bound to a locale in tests). */
export type Translate = (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string;

/** The button label of an action. */
export function actionLabel(t: Translate, action: CommandAction): string {
  return t(`command.action.${action}` as MessageKey);
}

/** The outcome line under the buttons: what is happening or how the last command ended. */
export interface OutcomeView {
  tone: 'ok' | 'error' | 'info';
  text: string;
}

/** Renders a server text (code + English) in the reader's language (useServerText). */
export type RenderText = (text: CodedText | undefined, fallback: string) => string;

const englishOnly: RenderText = (_text, fallback) => fallback;

/**
 * The outcome line for a flow state, or null when there is nothing to say. The plant's answers
 * (accepted, or refused with a reason) come as codes and are shown in the reader's language.
 */
export function outcomeView(
  state: CommandFlowState,
  t: Translate,
  now: number,
  render: RenderText = englishOnly,
  locale: Locale = 'en',
): OutcomeView | null {
  switch (state.phase) {
    case 'sending':
      return { tone: 'info', text: t('command.sending', { action: actionLabel(t, state.req.action) }) };
    case 'expired':
      return { tone: 'error', text: t('confirm.expired') };
    case 'done': {
      const r = state.result;
      const coded = 'text' in r ? r.text : undefined;
      // Sent to a real device that did not confirm in time: said as information, not success.
      if (r.ok) return { tone: r.confirmed === false ? 'info' : 'ok', text: render(coded, r.message) };
      if (r.code === 'RATE_LIMITED') {
        const wait = 'retryAfterMs' in r && typeof r.retryAfterMs === 'number' ? r.retryAfterMs : 1000;
        return { tone: 'error', text: t('command.rateLimited', { s: secondsLeft(now + wait, now) }) };
      }
      if (r.code === 'TIMEOUT') return { tone: 'error', text: t('command.timeout') };
      if (r.code === 'OFFLINE') return { tone: 'error', text: t('command.offline') };
      const reason = coded ? render(coded, r.message) : refusalText(locale, r);
      return { tone: 'error', text: t('command.refused', { message: reason }) };
    }
    default:
      return null;
  }
}

const CONFIRM_KEY: Partial<Record<CommandAction, MessageKey>> = {
  start: 'confirm.start',
  reset: 'confirm.reset',
  'go-to': 'confirm.go-to',
  'launch-patrol': 'confirm.launch-patrol',
};

/**
 * The question of the confirm step: "Send AGV-03 to L1 line-side feeder · L1-FDR-D?". `target` is
 * how the target is called (an equipment id, or "line Line 1"); `node` names a go-to's node.
 */
export function confirmQuestion(
  t: Translate,
  req: EquipmentCommandRequest,
  target: string,
  node: (id: string) => string,
): string {
  const key = CONFIRM_KEY[req.action];
  const nodeId = req.params?.node ?? '';
  if (key) return t(key, { target, node: node(nodeId) });
  // An action the server chose to confirm although the vocabulary does not list it.
  return `${actionLabel(t, req.action)} ${target}?`;
}
