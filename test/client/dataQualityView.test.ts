import { describe, expect, it } from 'vitest';
import {
  dataQualityView,
  formatAge,
  formatAgo,
  formatClockTime,
  QUALITY_GLYPH,
  qualityLabel,
  signalMarks,
  sourceText,
} from '../../client/hud/inspector/dataQualityView';
import {
  ERROR_SHOWN,
  SOURCE_KIND_NAME,
  STALE_SHOWN,
  sourceRows,
  truncate,
} from '../../client/hud/sources/sourcesView';
import { MARK_STAND_IN, QUALITIES, type SourceHealth } from '../../protocol';

const detail = {
  source: 'uns',
  quality: 'good' as const,
  sourceTimestamp: Date.UTC(2026, 0, 2, 3, 4, 5),
  values: {
    stock: { value: 37, quality: 'good' as const, sourceTimestamp: 1 },
    oilTemp: { value: 61, quality: 'stale' as const, sourceTimestamp: 1 },
    load: { value: 0, quality: 'uncertain' as const, sourceTimestamp: 1 },
  },
};

describe('data quality in words', () => {
  it('names every quality in both languages with its own shape, none an alarm priority shape', () => {
    expect(QUALITIES.map((q) => qualityLabel('en', q))).toEqual(['Good', 'Uncertain', 'Bad', 'Stale']);
    expect(QUALITIES.map((q) => qualityLabel('zh-CN', q))).toEqual(['良好', '不确定', '不良', '过期']);
    const shapes = QUALITIES.map((q) => QUALITY_GLYPH[q]);
    expect(new Set(shapes).size).toBe(4);
    for (const s of shapes) expect('▲◆■●').not.toContain(s);
  });

  it('writes ages in tenths under 10 s, then whole seconds, minutes, hours and days', () => {
    expect(formatAge('en', 0)).toBe('0.0 s');
    expect(formatAge('en', 3_249)).toBe('3.2 s');
    expect(formatAge('en', 9_999)).toBe('9.9 s');
    expect(formatAge('en', 42_700)).toBe('42 s');
    expect(formatAge('en', 185_000)).toBe('3 min 5 s');
    expect(formatAge('en', 2 * 3600_000 + 4 * 60_000 + 59_000)).toBe('2 h 4 min');
    expect(formatAge('en', 3 * 86400_000 + 3600_000)).toBe('3 d 1 h');
    expect(formatAge('zh-CN', 3_249)).toBe('3.2 秒');
    expect(formatAge('zh-CN', 185_000)).toBe('3 分 5 秒');
    expect(formatAge('zh-CN', 2 * 3600_000 + 4 * 60_000)).toBe('2 小时 4 分');
    expect(formatAge('zh-CN', 3 * 86400_000 + 3600_000)).toBe('3 天 1 小时');
  });

  it('reads an age from a server clock ahead of ours as 0 and an unknown one as a dash', () => {
    expect(formatAge('en', -1500)).toBe('0.0 s');
    expect(formatAge('en', Number.NaN)).toBe('–');
  });

  it('says how long ago a value arrived, or never', () => {
    expect(formatAgo('en', 1_000, 13_500)).toBe('12 s ago');
    expect(formatAgo('zh-CN', 1_000, 13_500)).toBe('12 秒前');
    expect(formatAgo('en', null, 13_500)).toBe('Never');
    expect(formatAgo('zh-CN', null, 13_500)).toBe('从未');
  });

  it('shows the source time as a 24 h clock and a dash without one', () => {
    expect(formatClockTime('en', new Date(2026, 0, 2, 15, 4, 5).getTime())).toBe('15:04:05');
    expect(formatClockTime('zh-CN', new Date(2026, 0, 2, 15, 4, 5).getTime())).toBe('15:04:05');
    expect(formatClockTime('en', null)).toBe('–');
  });

  it('names the source: its id, the simulation, or no data source', () => {
    expect(sourceText('en', 'uns')).toEqual({ kind: 'external', text: 'uns' });
    expect(sourceText('en', 'simulation')).toEqual({ kind: 'simulation', text: 'Simulation' });
    expect(sourceText('zh-CN', 'simulation')).toEqual({ kind: 'simulation', text: '仿真' });
    expect(sourceText('en', null)).toEqual({ kind: 'none', text: 'No data source' });
    expect(sourceText('zh-CN', null)).toEqual({ kind: 'none', text: '无数据源' });
  });

  it('marks only the signals that are not good', () => {
    expect(signalMarks(detail)).toEqual([
      { key: 'oilTemp', quality: 'stale' },
      { key: 'load', quality: 'uncertain' },
    ]);
  });
});

describe('the inspector view of an equipment answer and its data mark', () => {
  it('shows the answer as it is when the mark is 0', () => {
    const v = dataQualityView('en', detail, 0);
    expect(v).toMatchObject({
      source: { kind: 'external', text: 'uns' },
      quality: 'good',
      qualityText: 'Good',
      glyph: '✓',
      standIn: false,
      marks: { oilTemp: 'stale', load: 'uncertain' },
    });
  });

  it('takes the worse quality of the frame mark, which is fresher than the poll', () => {
    const v = dataQualityView('zh-CN', detail, QUALITIES.indexOf('stale'));
    expect(v.quality).toBe('stale');
    expect(v.qualityText).toBe('过期');
    expect(v.glyph).toBe('◌');
    // A better mark never hides a worse answer.
    expect(dataQualityView('en', { ...detail, quality: 'bad' }, QUALITIES.indexOf('uncertain')).quality).toBe(
      'bad',
    );
  });

  it('tells a stand-in only from the mark (the answer says simulation for both)', () => {
    const sim = { ...detail, source: 'simulation', values: {} };
    expect(dataQualityView('en', sim, 0).standIn).toBe(false);
    const v = dataQualityView('en', sim, MARK_STAND_IN);
    expect(v.standIn).toBe(true);
    expect(v.source.text).toBe('Simulation');
    expect(v.quality).toBe('good');
  });
});

const health = (over: Partial<SourceHealth> = {}): SourceHealth => ({
  id: 'uns',
  kind: 'mqtt-json',
  status: 'connected',
  messagesPerS: 4.25,
  lastMessageAt: 10_000,
  errors: 0,
  lastError: null,
  stale: [],
  skewMs: 12.4,
  ...over,
});

describe('the Sources panel rows', () => {
  it('writes a healthy source in English and in Chinese', () => {
    const [en] = sourceRows('en', [health()], 13_200);
    expect(en).toMatchObject({
      id: 'uns',
      kind: 'MQTT JSON',
      status: 'connected',
      statusText: 'Connected',
      glyph: '✓',
      rate: '4.3',
      last: '3.2 s ago',
      errors: '0',
      hasErrors: false,
      lastError: '–',
      stale: [],
      staleMore: 0,
      skew: '12 ms',
    });
    const [zh] = sourceRows('zh-CN', [health()], 13_200);
    expect(zh).toMatchObject({ statusText: '已连接', last: '3.2 秒前', kind: 'MQTT JSON' });
  });

  it('shows a source that never sent, is down, dropped messages and lost its equipment', () => {
    const long = `connect ECONNREFUSED 127.0.0.1:1883 ${'x'.repeat(200)}`;
    const stale = Array.from({ length: STALE_SHOWN + 3 }, (_, i) => `RK-${i}`);
    const [r] = sourceRows(
      'zh-CN',
      [health({ status: 'down', lastMessageAt: null, errors: 12345, lastError: long, stale, skewMs: null })],
      0,
    );
    expect(r.statusText).toBe('已断开');
    expect(r.glyph).toBe('✕');
    expect(r.last).toBe('从未');
    expect(r.errors).toBe('12,345');
    expect(r.hasErrors).toBe(true);
    expect(r.lastError.length).toBe(ERROR_SHOWN);
    expect(r.lastError.endsWith('…')).toBe(true);
    expect(r.lastErrorFull).toBe(long);
    expect(r.stale).toEqual(stale.slice(0, STALE_SHOWN));
    expect(r.staleMore).toBe(3);
    expect(r.skew).toBe('–');
  });

  it('names every protocol and every status with a distinct shape', () => {
    expect(Object.keys(SOURCE_KIND_NAME).sort()).toEqual(['mqtt-json', 'opcua', 'sparkplug', 'vda5050']);
    const statuses = sourceRows('en', [health({ status: 'connecting' })], 0)[0];
    expect(statuses).toMatchObject({ statusText: 'Connecting', glyph: '↻' });
  });

  it('cuts text only when too long', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('0123456789abc', 10)).toBe('012345678…');
  });
});
