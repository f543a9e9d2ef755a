import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLayout, pickText } from '../../protocol';

type Named = { id: string; name: string; names?: unknown };
/** The default plant as raw JSON, loosely typed so tests can break it. */
interface RawPlant {
  names?: unknown;
  site?: unknown;
  siteNames?: unknown;
  paths: { nodes: { id: string; name?: unknown; names?: unknown; position: number[] }[] };
  zones: Named[];
  lines: Named[];
  equipment: Named[];
  viewpoints: Named[];
}

function defaultJson(): RawPlant {
  return JSON.parse(readFileSync(new URL('../../assets/plants/default.json', import.meta.url), 'utf8'));
}

function errorsOf(input: unknown): string[] {
  const r = parseLayout(input);
  return r.ok ? [] : r.errors;
}

describe('plant names in two languages', () => {
  it('reads the Chinese names of the plant, zones, lines, equipment and viewpoints', () => {
    const r = parseLayout(defaultJson());
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const l = r.layout;
    expect(l.names?.['zh-CN']).toBe('5G 电子装配演示工厂');
    const line = l.lines.find((x) => x.id === 'L1')!;
    expect(pickText(line.name, line.names, 'zh-CN')).toBe('1 号产线 – 5G 路由器主板');
    expect(pickText(line.name, line.names, 'en')).toBe('Line 1 – 5G router boards');
    for (const list of [l.zones, l.lines, l.equipment, l.viewpoints])
      for (const x of list) expect(x.names?.['zh-CN'], x.id).toMatch(/[\u4e00-\u9fff]/);
  });

  it('falls back to the English name where no translation is given', () => {
    const raw = defaultJson();
    delete raw.zones[0].names;
    const r = parseLayout(raw);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(pickText(r.layout.zones[0].name, r.layout.zones[0].names, 'zh-CN')).toBe(r.layout.zones[0].name);
  });

  it('names the path of a bad translation', () => {
    const raw = defaultJson();
    raw.zones[1].names = { 'zh-CN': '' };
    raw.lines[0].names = { fr: 'Ligne 1' };
    raw.equipment[3].names = { 'zh-CN': '长'.repeat(81) };
    raw.viewpoints[0].names = 'Whole site';
    raw.names = { 'zh-CN': 7 };
    expect(errorsOf(raw).sort()).toEqual(
      [
        'names.zh-CN: expected a string',
        'zones[1].names.zh-CN: must not be empty',
        'lines[0].names: unknown language "fr"; expected only "zh-CN"',
        'equipment[3].names.zh-CN: expected at most 80 characters',
        'viewpoints[0].names: expected an object of translations, e.g. { "zh-CN": "..." }',
      ].sort(),
    );
  });

  it('reads the site and the AGV path nodes in both languages, each optional', () => {
    const r = parseLayout(defaultJson());
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const l = r.layout;
    expect(pickText(l.site!, l.siteNames, 'zh-CN')).toMatch(/[\u4e00-\u9fff]/);
    expect(pickText(l.site!, l.siteNames, 'en')).toBe(l.site);
    for (const n of l.paths!.nodes) {
      expect(n.name, n.id).toBeTruthy();
      expect(n.names?.['zh-CN'], n.id).toMatch(/[\u4e00-\u9fff]/);
    }
    // A plant file written before node and site names still loads, unchanged otherwise.
    const old = defaultJson();
    delete old.siteNames;
    old.paths.nodes = old.paths.nodes.map(({ id, position }) => ({ id, position }));
    const o = parseLayout(old);
    if (!o.ok) throw new Error(o.errors.join('\n'));
    expect(o.layout.siteNames).toBeUndefined();
    expect(o.layout.paths!.nodes.every((n) => n.name === undefined && n.names === undefined)).toBe(true);
  });

  it('names the path of a bad site or node name', () => {
    const raw = defaultJson();
    raw.siteNames = { en: 'Demo' };
    raw.paths.nodes[2].name = '';
    raw.paths.nodes[3].names = { 'zh-CN': 5 };
    expect(errorsOf(raw).sort()).toEqual(
      [
        'siteNames: unknown language "en"; expected only "zh-CN"',
        'paths.nodes[2].name: must not be empty',
        'paths.nodes[3].names.zh-CN: expected a string',
      ].sort(),
    );
  });
});
