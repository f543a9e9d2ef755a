import { type CodedText, pickText, renderEnglish, type Translations } from '../../protocol';
import { formatNumber } from '../hud/format';
import { hasMessage, type Locale, translate } from '../i18n/messages';
import type { ServerText } from '../i18n/useServerText';
import type { SessionReport } from './trainingApi';

/** How the parts of one debrief sentence join in Chinese (English keeps the server's sentence). */
const PART_JOIN_ZH = '；';

/**
 * A session report with every text in the reader's language, for the panel and both exports:
 * expectation labels from the scenario's translations, result details and mistakes from their
 * text codes (a catalog sentence by reason or kind for reports written before codes), the plant's
 * answers to commands from their codes. English keeps the server's details (the same codes
 * rendered on the server); the numbers stay as recorded.
 */
export function localizeReport(
  r: SessionReport,
  locale: Locale,
  render: ServerText,
  scenarioNames?: Translations,
): SessionReport {
  const english = locale === 'en';
  const seconds = (s: number | undefined) => (s === undefined ? '–' : formatNumber(s, 0));
  const action = (a: string) => {
    const key = `command.action.${a}`;
    return hasMessage(key) ? translate(locale, key) : a;
  };
  /** The parts in the reader's language, joined; each falls back to its English rendering. */
  const parts = (texts: readonly CodedText[]) =>
    texts.map((t) => render(t, renderEnglish(t.code, t.params))).join(PART_JOIN_ZH);
  return {
    ...r,
    scenarioName: pickText(r.scenarioName, scenarioNames, locale),
    trainees: r.trainees.map((tr) => {
      // A mistake about an expectation names it by the expectation's label in this language.
      const labels = new Map(tr.results.map((x) => [x.id, pickText(x.label, x.labels, locale)]));
      const withLabel = (t: CodedText): CodedText => {
        const id = t.params?.expectation;
        const label = typeof id === 'string' ? labels.get(id) : undefined;
        return label === undefined ? t : { ...t, params: { ...t.params, label } };
      };
      return {
        ...tr,
        results: tr.results.map((x) => {
          const key = `report.reason.${x.reason}`;
          const detail = english
            ? x.detail
            : x.texts?.length
              ? parts(x.texts)
              : hasMessage(key)
                ? translate(locale, key, { elapsed: seconds(x.elapsedS) })
                : x.detail;
          return { ...x, label: labels.get(x.id) ?? x.label, detail };
        }),
        commandsSent: (tr.commandsSent ?? []).map((c) => ({
          ...c,
          action: action(c.action),
          message: render(c.text, c.message),
        })),
        mistakes: (tr.mistakes ?? []).map((m) => {
          if (english) return m;
          if (m.texts?.length) return { ...m, detail: parts(m.texts.map(withLabel)) };
          const key = `report.mistake.${m.kind}`;
          return hasMessage(key) ? { ...m, detail: translate(locale, key, { target: m.target }) } : m;
        }),
      };
    }),
  };
}
