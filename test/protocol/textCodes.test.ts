import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  EN_TEXTS,
  enText,
  fillTemplate,
  isCodedText,
  LOCALIZED_TEXT_CODE,
  localizedText,
  renderAlarmTemplate,
  renderEnglish,
  TEXT_CODES,
} from '../../protocol';

const SERVER = fileURLToPath(new URL('../../server', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Text codes written as string literals in the server's code (`'event.agv.paused'`). */
function codesInServer(): Set<string> {
  const out = new Set<string>();
  const prefixes = Object.keys(EN_TEXTS).map((c) => c.split('.')[0]);
  const re = new RegExp(`'((?:${[...new Set(prefixes)].join('|')})\\.[A-Za-z.]+)'`, 'g');
  for (const f of sources(SERVER)) for (const m of readFileSync(f, 'utf8').matchAll(re)) out.add(m[1]);
  return out;
}

describe('server text codes', () => {
  it('has an English template for every code the server writes, and no code it never writes', () => {
    const used = codesInServer();
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((c) => !(c in EN_TEXTS))).toEqual([]);
    expect(TEXT_CODES.filter((c) => !used.has(c))).toEqual([]);
  });

  it('exports the code list once per code, with well-formed placeholders', () => {
    expect(new Set(TEXT_CODES).size).toBe(TEXT_CODES.length);
    for (const c of TEXT_CODES) {
      expect(c).toMatch(/^[a-z]+(\.[A-Za-z]+)+$/);
      const t: string = EN_TEXTS[c];
      expect(t.replace(/\{[A-Za-z]\w*\}/g, ''), c).not.toMatch(/[{}]/);
    }
  });

  it('renders a code and its params into the English message', () => {
    const t = enText('event.agv.delivered', { equipment: 'AGV-03', feeder: 'L2-FDR', pct: 84 });
    expect(t).toEqual({
      text: { code: 'event.agv.delivered', params: { equipment: 'AGV-03', feeder: 'L2-FDR', pct: 84 } },
      message: 'AGV-03 delivered a pallet to L2-FDR (now 84%)',
    });
    expect(renderEnglish(t.text.code, t.text.params)).toBe(t.message);
    expect(enText('training.serverShutdown')).toEqual({
      text: { code: 'training.serverShutdown' },
      message: 'the server is shutting down',
    });
  });

  it('leaves a missing parameter visible and formats numbers through the given function', () => {
    expect(fillTemplate('{a} of {b}', { a: 1.5 })).toBe('1.5 of {b}');
    expect(fillTemplate('{a}', { a: 1.5 }, (n) => n.toFixed(2))).toBe('1.50');
    expect(renderEnglish('no.such.code')).toBe('no.such.code');
  });

  it('carries a data-file text in all its languages', () => {
    const t = localizedText('Watch line 1.', { 'zh-CN': '注意 1 号产线。' });
    expect(t).toEqual({
      code: LOCALIZED_TEXT_CODE,
      params: { en: 'Watch line 1.', 'zh-CN': '注意 1 号产线。' },
    });
    expect(isCodedText(t)).toBe(true);
    expect(isCodedText({ code: 'x', params: { a: {} } })).toBe(false);
    expect(isCodedText({ params: {} })).toBe(false);
  });

  it('renders an alarm template with the equipment name in the reader’s language and — for no value', () => {
    const p = { rule: 'r', id: 'L1-C2', limit: 2.8, unit: 'mm/s' };
    expect(
      renderAlarmTemplate('{name}（{id}）：振动 {value} {unit}，高于 {limit} {unit}{x}', p, '一号输送线'),
    ).toBe('一号输送线（L1-C2）：振动 — mm/s，高于 2.8 mm/s');
  });
});
