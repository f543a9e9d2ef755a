import {
  ALARM_TEXT_CODE,
  type AlarmTemplate,
  type CodedText,
  EN_TEXTS,
  fillTemplate,
  type Layout,
  LOCALIZED_TEXT_CODE,
  pickText,
  renderAlarmTemplate,
  type TextParam,
} from '../../protocol';
import { formatNumber } from '../hud/format';
import { hasMessage, type Locale, translate } from './messages';
import { SERVER_TEXTS_ZH } from './serverTextsZh';

/** What rendering a server text may look up: names from the layout, alarm rule templates. */
export interface TextContext {
  layout: Layout | null;
  alarmTemplates?: Readonly<Record<string, AlarmTemplate>>;
}

/** A line's name in the locale: the layout's translation, then its name, else the id. */
export function lineDisplayName(locale: Locale, layout: Layout | null, lineId: string): string {
  const line = layout?.lines.find((l) => l.id === lineId);
  if (line) return pickText(line.name, line.names, locale);
  const key = `line.${lineId}`;
  return hasMessage(key) ? translate(locale, key) : lineId;
}

/** An equipment's name in the locale (the layout's translation, then its name, else the id). */
export function equipmentDisplayName(locale: Locale, layout: Layout | null, id: string): string {
  const e = layout?.equipment.find((x) => x.id === id);
  return e ? pickText(e.name, e.names, locale) : id;
}

/**
 * An AGV path node as a sentence names it in the locale: its name from the plant file with the id
 * the floor markings carry ("1 号产线上料点（L1-FDR-D）"), else the id.
 */
export function nodeDisplayName(locale: Locale, layout: Layout | null, id: string): string {
  const n = layout?.paths?.nodes.find((x) => x.id === id);
  if (!n?.name) return id;
  const name = pickText(n.name, n.names, locale);
  return locale === 'en' ? `${name} (${id})` : `${name}（${id}）`;
}

/** A word the server sends as an id (an equipment kind, a fault kind, an action) in the locale. */
function wordOf(locale: Locale, id: string): string {
  if (id === 'line') return translate(locale, 'inspector.line');
  for (const prefix of ['kind.', 'fault.', 'command.action.']) {
    const key = prefix + id;
    if (hasMessage(key)) return translate(locale, key);
  }
  return id;
}

/** Sim seconds as a Chinese debrief writes a time: "45 秒", "2 分钟", "1 分 30 秒", "1 小时 5 分". */
export function durationZh(seconds: number): string {
  const t = Math.max(0, Math.round(seconds));
  if (t < 60) return `${t} 秒`;
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const s = t % 60;
  if (h === 0 && s === 0) return `${m} 分钟`;
  return [h && `${h} 小时`, m && `${m} 分`, s && `${s} 秒`].filter(Boolean).join(' ');
}

/** The params as the reader's language shows them (names and words for ids, numbers per locale). */
function localParams(
  locale: Locale,
  params: Readonly<Record<string, TextParam>> | undefined,
  ctx: TextContext,
): Record<string, TextParam> {
  const out: Record<string, TextParam> = { ...params };
  if (typeof out.line === 'string') out.line = lineDisplayName(locale, ctx.layout, out.line);
  if (typeof out.node === 'string') out.node = nodeDisplayName(locale, ctx.layout, out.node);
  if (typeof out.kind === 'string') out.kind = wordOf(locale, out.kind);
  if (typeof out.action === 'string') out.action = wordOf(locale, out.action);
  for (const [k, v] of Object.entries(out))
    if (k.endsWith('Time') && typeof v === 'number') out[k] = durationZh(v);
  if (typeof out.targets === 'string') out.targets = out.targets.split(',').join('、');
  for (const list of ['kinds', 'actions'] as const) {
    const v = out[list];
    if (typeof v === 'string')
      out[list] = v
        .split(',')
        .map((s) => wordOf(locale, s.trim()))
        .join('、');
  }
  return out;
}

function decimalsOf(n: number): number {
  return Number.isInteger(n) ? 0 : Math.abs(n) >= 100 ? 0 : 1;
}

const num = (n: number) => formatNumber(n, decimalsOf(n));

/**
 * A server text in the reader's language. `fallback` is the English `message` that rides along:
 * shown when there is no code (older recordings and journals), for an unknown code, and as the
 * English rendering (the server renders it from the same templates).
 */
export function renderText(
  locale: Locale,
  text: CodedText | undefined,
  fallback: string,
  ctx: TextContext,
): string {
  if (!text || typeof text.code !== 'string') return fallback;
  const params = text.params ?? {};
  if (text.code === LOCALIZED_TEXT_CODE) {
    const s = params[locale] ?? params.en;
    return typeof s === 'string' ? s : fallback;
  }
  if (text.code === ALARM_TEXT_CODE) {
    const tpl = typeof params.rule === 'string' ? ctx.alarmTemplates?.[params.rule] : undefined;
    if (!tpl) return fallback;
    const id = String(params.id ?? '');
    const template = pickText(tpl.en, tpl, locale);
    return renderAlarmTemplate(template, params, equipmentDisplayName(locale, ctx.layout, id), num);
  }
  if (locale === 'en') {
    if (fallback) return fallback;
    const en = (EN_TEXTS as Record<string, string>)[text.code];
    return en === undefined ? fallback : fillTemplate(en, params);
  }
  const zh = (SERVER_TEXTS_ZH as Record<string, string>)[text.code];
  if (zh === undefined) return fallback;
  return fillTemplate(zh, localParams(locale, params, ctx), num);
}
