import { z } from 'zod';

/**
 * Texts users read, as they cross the wire: a code with parameters that the client renders in the
 * reader's language (the English rendering rides along as `message` for logs, the audit and API
 * users), and the bilingual texts of data files (alarm rules, plants, scenarios).
 */

/** Languages a user may read the twin in; 'en' is the fallback of every text. */
export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
/** Languages a data file may translate its texts into (English is the base text). */
export type TranslatedLocale = Exclude<Locale, 'en'>;

/** A parameter value: an id, a number (render per locale) or a preformatted figure ('12.0'). */
export type TextParam = string | number;

/**
 * A server text as a code and its parameters. Parameter conventions: `line` holds a production
 * line id (the client may show the line's name in the reader's language from the layout); `zone`
 * a zone id; every other string is an id, a product name or a preformatted figure, shown as is.
 */
export interface CodedText {
  code: string;
  params?: Readonly<Record<string, TextParam>>;
}

/** Translations of one text beside its English base field (`name` + `names: { 'zh-CN': ... }`). */
export type Translations = { readonly [L in TranslatedLocale]?: string };

/** A data-file text: plain English, or English plus translations. */
export type LocalizedString = string | ({ en: string } & Translations);

/** The text in `locale`, falling back to English. */
export function pickText(base: string, translations: Translations | undefined, locale: Locale): string {
  if (locale === 'en') return base;
  return translations?.[locale] ?? base;
}

/** Splits a data-file text into its English base and its translations. */
export function splitLocalized(s: LocalizedString): { en: string; translations: Translations } {
  if (typeof s === 'string') return { en: s, translations: {} };
  const { en, ...translations } = s;
  return { en, translations };
}

/**
 * Code of a text given in a data file in both languages (a scenario's message step): its params
 * are the texts by locale (`{ en, 'zh-CN'? }`); render `params[locale] ?? params.en`.
 */
export const LOCALIZED_TEXT_CODE = 'text.localized';

/** A CodedText carrying a data-file text in all its languages (see LOCALIZED_TEXT_CODE). */
export function localizedText(en: string, translations: Translations = {}): CodedText {
  const params: Record<string, string> = { en };
  for (const [k, v] of Object.entries(translations)) if (typeof v === 'string') params[k] = v;
  return { code: LOCALIZED_TEXT_CODE, params };
}

/**
 * Fills `{key}` placeholders from params; numbers go through `num` (default: as JavaScript writes
 * them). An unknown placeholder is left as written, so a missing parameter shows rather than hides.
 */
export function fillTemplate(
  template: string,
  params: Readonly<Record<string, TextParam>> | undefined,
  num: (n: number) => string = String,
): string {
  return template.replace(/\{([A-Za-z][\w.-]*)\}/g, (whole, k: string) => {
    const v = params?.[k];
    if (v === undefined) return whole;
    return typeof v === 'number' ? num(v) : v;
  });
}

/** Placeholder names of a template type (`'{a} and {b}'` -> `'a' | 'b'`), for typed params. */
export type TemplateParams<T extends string> = T extends `${string}{${infer P}}${infer Rest}`
  ? P | TemplateParams<Rest>
  : never;

/**
 * Code of an alarm's message: its rule's template (`Alarm.ruleId`, templates in
 * `PlantSnapshot.alarmTemplates` / `ReplayOpened.alarmTemplates`) filled with ALARM_TEXT params.
 */
export const ALARM_TEXT_CODE = 'alarm.rule';

/**
 * Parameters of an `alarm.rule` text: `rule` (rule id), `id` (equipment id; `{name}` is that
 * equipment's name in the reader's language from the layout), `value` and `limit` (rounded to
 * 0.1; absent when there is none, shown as '—'), `unit`.
 */
export interface AlarmTextParams {
  rule: string;
  id: string;
  value?: number;
  limit?: number;
  unit?: string;
}

/** An alarm rule's message template in every language it is given in. */
export type AlarmTemplate = { en: string } & Translations;

/**
 * Renders an alarm rule template: `{id}` `{name}` `{value}` `{limit}` `{unit}` (unknown
 * placeholders render empty, as rule files have always done). `name` is the equipment's name in
 * the reader's language; `num` formats value and limit.
 */
export function renderAlarmTemplate(
  template: string,
  p: Readonly<Record<string, TextParam>>,
  name: string,
  num: (n: number) => string = String,
): string {
  const fig = (v: TextParam | undefined) => (typeof v === 'number' ? num(v) : '—');
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    if (k === 'id') return String(p.id ?? '');
    if (k === 'name') return name;
    if (k === 'value') return fig(p.value);
    if (k === 'limit') return fig(p.limit);
    if (k === 'unit') return String(p.unit ?? '');
    return '';
  });
}

/** `PUT /api/me/locale` body. */
export const localeRequestSchema = z
  .object({ locale: z.enum(LOCALES, { error: `expected "locale" to be one of: ${LOCALES.join(', ')}` }) })
  .strict();
export type LocaleRequest = z.infer<typeof localeRequestSchema>;

/** Whether `x` is a CodedText (a code string and, if any, params of strings and numbers). */
export function isCodedText(x: unknown): x is CodedText {
  if (typeof x !== 'object' || x === null) return false;
  const t = x as { code?: unknown; params?: unknown };
  if (typeof t.code !== 'string') return false;
  if (t.params === undefined) return true;
  if (typeof t.params !== 'object' || t.params === null) return false;
  return Object.values(t.params).every((v) => typeof v === 'string' || typeof v === 'number');
}
