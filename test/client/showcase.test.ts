import { describe, expect, it } from 'vitest';
import { pickLocale } from '../../client/i18n/locale';
import { translate } from '../../client/i18n/messages';
import { nextAlarmToShow } from '../../client/showcase/alarmFocus';
import { outputToday } from '../../client/showcase/showcaseKpis';
import { parseShowcaseParams, tourIndices } from '../../client/showcase/showcaseParams';
import { tickerPhrase } from '../../client/showcase/tickerPhrase';
import { TourController } from '../../client/showcase/tourController';
import type { KpiUpdate, PlantEvent } from '../../protocol';
import { defaultLayout } from '../helpers/server';

const ev = (message: string): PlantEvent => ({
  seq: 1,
  simTimeS: 0,
  type: 'info',
  severity: 'info',
  message,
});

describe('showcase logic', () => {
  it('reads the tour, dwell and adaptive flag from the URL, falling back to defaults', () => {
    const p = parseShowcaseParams('?tour=VP-HALL,%20VP-WH&dwell=15&adaptive=0');
    expect(p.tour).toEqual(['VP-HALL', 'VP-WH']);
    expect(p.dwellMs).toBe(15_000);
    expect(p.adaptive).toBe(false);
    const d = parseShowcaseParams('?dwell=abc');
    expect(d.tour).toBeNull();
    expect(d.dwellMs).toBe(15_000);
    expect(parseShowcaseParams('?dwell=2').flightMs).toBe(1000);
  });

  it('tours the requested viewpoints that exist, or all of them', () => {
    expect(tourIndices(['A', 'B', 'C'], ['C', 'X', 'A'])).toEqual([2, 0]);
    expect(tourIndices(['A', 'B'], ['X'])).toEqual([0, 1]);
  });

  it('moves to the next viewpoint after flight + dwell, and resumes after an alarm', () => {
    const c = new TourController([0, 1, 2], 10_000, 2000, 5000);
    expect(c.update(0)).toMatchObject({ kind: 'viewpoint', step: 0 });
    expect(c.update(11_000)).toBeNull();
    expect(c.update(12_000)).toMatchObject({ kind: 'viewpoint', step: 1 });
    expect(c.showAlarm('a', 'L1-R1', 13_000)).toMatchObject({ kind: 'alarm' });
    expect(c.update(19_000)).toBeNull();
    expect(c.update(20_000)).toMatchObject({ kind: 'viewpoint', step: 2 });
  });

  it('shows each urgent unacknowledged alarm once, critical first', () => {
    const base = { ruleId: 'r', value: null, limit: null, raisedSimS: 0, seq: 1, active: true, message: 'm' };
    const alarms = new Map([
      [
        'h@X',
        { ...base, id: 'h@X', equipmentId: 'X', priority: 'high', state: 'unacknowledged', raisedAt: 2 },
      ],
      [
        'c@Y',
        { ...base, id: 'c@Y', equipmentId: 'Y', priority: 'critical', state: 'unacknowledged', raisedAt: 1 },
      ],
      [
        'l@Z',
        { ...base, id: 'l@Z', equipmentId: 'Z', priority: 'low', state: 'unacknowledged', raisedAt: 3 },
      ],
    ] as const);
    const shown = new Set<string>();
    const first = nextAlarmToShow(alarms as never, shown);
    expect(first?.id).toBe('c@Y');
    shown.add('c@Y');
    expect(nextAlarmToShow(alarms as never, shown)?.id).toBe('h@X');
    shown.add('h@X');
    shown.add('gone');
    expect(nextAlarmToShow(alarms as never, shown)).toBeNull();
    expect(shown.has('gone')).toBe(false);
  });

  it('counts output today from good units and plans the target from targetPerHour × hours', () => {
    const layout = defaultLayout();
    const planned = layout.lines.reduce((s, l) => s + l.targetPerHour, 0);
    const kpis = {
      simTimeS: 7200,
      lines: layout.lines.map((l) => ({ id: l.id, good: 100, throughputPerHour: 1000 })),
    } as unknown as KpiUpdate;
    expect(outputToday(kpis, layout)).toEqual({ output: 300, target: planned * 2 });
    const later = { ...kpis, simTimeS: 86400 + 3600 } as KpiUpdate;
    expect(outputToday(later, layout)).toEqual({ output: 3000, target: planned });
  });

  it('turns server events into plain sentences per language, keeping unknown ones as sent', () => {
    const lineOf = (id: string) => (id === 'L2-FDR' ? 'L2' : null);
    const msg = ev('AGV-03 delivered a pallet to L2-FDR (now 64%)');
    expect(tickerPhrase('en', msg, lineOf)).toBe(
      'AGV-03 delivered a pallet of parts to Line 2 (feeder at 64 %)',
    );
    expect(tickerPhrase('zh-CN', msg, lineOf)).toContain('2 号产线');
    expect(tickerPhrase('zh-CN', ev('Something new happened'), lineOf)).toBe('Something new happened');
  });

  it('picks the language from ?lang, then the browser, else English', () => {
    expect(pickLocale('?lang=zh-CN', ['en-US'])).toBe('zh-CN');
    expect(pickLocale('', ['zh', 'en'])).toBe('zh-CN');
    expect(pickLocale('', ['zh-TW', 'fr'])).toBe('en');
    expect(pickLocale('?lang=xx', ['en-GB'])).toBe('en');
    expect(translate('zh-CN', 'kpi.latency', { value: '4.2' })).toBe('时延 4.2 毫秒');
  });
});
