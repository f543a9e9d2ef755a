import { pickText, type Translations } from '../../protocol';
import { formatNumber } from '../hud/format';
import { hasMessage, type Locale, translate } from '../i18n/messages';
import type { ServerText } from '../i18n/useServerText';
import type { SessionReport } from './trainingApi';

/**
 * A session report with every text in the reader's language, for the panel and both exports:
 * expectation labels from the scenario's translations, results and mistakes from their reason
 * and kind, the plant's answers to commands from their codes. English keeps the server's details
 * (they name the exact cause); the numbers stay as recorded.
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
  return {
    ...r,
    scenarioName: pickText(r.scenarioName, scenarioNames, locale),
    trainees: r.trainees.map((tr) => ({
      ...tr,
      results: tr.results.map((x) => {
        const key = `report.reason.${x.reason}`;
        const detail =
          english || !hasMessage(key) ? x.detail : translate(locale, key, { elapsed: seconds(x.elapsedS) });
        return { ...x, label: pickText(x.label, x.labels, locale), detail };
      }),
      commandsSent: (tr.commandsSent ?? []).map((c) => ({
        ...c,
        action: action(c.action),
        message: render(c.text, c.message),
      })),
      mistakes: (tr.mistakes ?? []).map((m) => {
        const key = `report.mistake.${m.kind}`;
        return english || !hasMessage(key)
          ? m
          : { ...m, detail: translate(locale, key, { target: m.target }) };
      }),
    })),
  };
}
