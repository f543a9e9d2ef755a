import { saveLocale } from '../auth/api';
import { useAuthStore } from '../auth/authStore';
import { isLocale, useLocaleStore } from '../i18n/localeStore';
import { LOCALES, type Locale, translate } from '../i18n/messages';
import { refusalText } from '../i18n/refusalText';
import { useT } from '../i18n/useT';
import { useAlarmUiStore } from '../state/alarmUiStore';

/** Props of LanguageSwitch (none: it reads the locale and auth stores). */
export type LanguageSwitchProps = Record<string, never>;

/** Switches the language at once; a logged-in user's choice is remembered on the server. */
async function choose(locale: Locale): Promise<void> {
  useLocaleStore.getState().setLocale(locale);
  if (!useAuthStore.getState().token) return;
  const r = await saveLocale(locale);
  if (!r.ok)
    useAlarmUiStore
      .getState()
      .toast(translate(locale, 'lang.saveFailed', { message: refusalText(locale, r) }));
}

/** The language menu: each language named in itself (English, 简体中文). */
export function LanguageSwitch(_: LanguageSwitchProps) {
  const { t, locale } = useT();
  return (
    <select
      className="select lang-switch"
      aria-label={t('lang.label')}
      title={t('lang.label')}
      value={locale}
      data-testid="language-switch"
      onChange={(e) => {
        if (isLocale(e.target.value)) void choose(e.target.value);
      }}
    >
      {LOCALES.map((l) => (
        <option key={l} value={l} lang={l}>
          {t(l === 'en' ? 'lang.en' : 'lang.zh-CN')}
        </option>
      ))}
    </select>
  );
}
