import { describe, expect, it } from 'vitest';
import type { Layout } from '../../../protocol';
import { runWhatIf } from '../../../server/design/whatIf';
import { scriptOf, type WhatIfScript } from '../../../server/design/whatIfScript';
import { loadScenarioLibrary } from '../../../server/scenarios/loadScenario';
import { defaultLayout } from '../../helpers/server';

const plant = defaultLayout();
const library = loadScenarioLibrary();
const changeover = library.scenarios.get('flexible-changeover');
if (!changeover) throw new Error('the shipped library has the flexible-changeover scenario');
const script = scriptOf(changeover.scenario);
// 0.25 simulated hours: the scenario's 15 minutes (changeover at 2:00, done at 5:00).
const HOURS = 0.25;
/** The same conditions without the scenario's events: no random faults, nothing scripted. */
const calm: WhatIfScript = { id: 'calm', timeline: [], randomFaults: false, operator: [] };

const l3 = (k: ReturnType<typeof runWhatIf>) => k.lines.find((l) => l.id === 'L3');

describe('what-if with a training scenario', () => {
  it('runs the changeover on line 3 and starts the line once it is done, as a trainee would', () => {
    const k = runWhatIf(plant, changeover.scenario.seed, HOURS, undefined, script);
    const entries = k.scenario?.entries ?? [];
    expect(k.scenario?.id).toBe('flexible-changeover');
    const set = entries.find((e) => e.kind === 'step');
    expect(set).toMatchObject({ atS: 120, what: 'set order-mix L3', ok: true });
    const start = entries.find((e) => e.kind === 'command');
    expect(start).toMatchObject({ what: 'start L3', ok: true });
    // The changeover holds the line 180 s; the operator starts it within a simulated second after.
    expect(start?.atS).toBeGreaterThanOrEqual(300);
    expect(start?.atS).toBeLessThanOrEqual(301.5);
  });

  it('costs line 3 output against the same conditions without the changeover; the other lines keep theirs', () => {
    const seed = changeover.scenario.seed;
    const withIt = runWhatIf(plant, seed, HOURS, undefined, script);
    const without = runWhatIf(plant, seed, HOURS, undefined, calm);
    expect(l3(withIt)?.total).toBeLessThan(l3(without)?.total ?? 0);
    for (const id of ['L1', 'L2'])
      expect(withIt.lines.find((l) => l.id === id)?.total).toBe(
        without.lines.find((l) => l.id === id)?.total,
      );
  });

  it('is deterministic: the same layout, seed, hours and scenario give JSON-equal KPIs', () => {
    const a = runWhatIf(plant, 3, 0.1, undefined, script);
    const b = runWhatIf(plant, 3, 0.1, undefined, script);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('reports the steps a layout cannot take (its line 3 is gone) and runs the rest', () => {
    const noL3 = JSON.parse(JSON.stringify(plant)) as Layout;
    const ids = new Set(noL3.lines.find((l) => l.id === 'L3')?.flow);
    noL3.lines = noL3.lines.filter((l) => l.id !== 'L3');
    noL3.equipment = noL3.equipment.filter((e) => !ids.has(e.id) && e.line !== 'L3');
    const k = runWhatIf(noL3, changeover.scenario.seed, HOURS, undefined, script);
    const entries = k.scenario?.entries ?? [];
    expect(entries.find((e) => e.kind === 'step')).toMatchObject({ what: 'set order-mix L3', ok: false });
    expect(entries.find((e) => e.kind === 'step')?.message).toMatch(/L3/);
    const start = entries.find((e) => e.kind === 'command');
    expect(start).toMatchObject({ what: 'start L3', ok: false });
    expect(k.lines.map((l) => l.id)).toEqual(['L1', 'L2']);
  });

  it('reports an expected command the run ended before as not sent', () => {
    const k = runWhatIf(plant, 3, 200 / 3600, undefined, script);
    const start = k.scenario?.entries.find((e) => e.kind === 'command');
    expect(start).toMatchObject({ what: 'start L3', ok: false });
    expect(start?.message).toContain('the run ended at 200 s, before 300 s');
  });
});
