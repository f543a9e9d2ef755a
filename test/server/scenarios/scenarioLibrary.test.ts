import { describe, expect, it } from 'vitest';
import { SCENARIO_FAULT_KINDS } from '../../../protocol/scenario';
import { loadScenarioLibrary, summaries } from '../../../server/scenarios/loadScenario';
import { runScenario } from '../../../server/scenarios/runScenario';
import { attentiveTrainee } from './attentiveTrainee';

const library = loadScenarioLibrary();
const all = [...library.scenarios.values()];

/** The ten typical "5G + industrial internet" scenarios, plus uplink congestion, by the scenario that shows each. */
const THEMES: Record<string, string[]> = {
  'remote equipment control': ['remote-control-joint-overheat'],
  'equipment collaborative operation': ['collaborative-power-dip'],
  'flexible manufacturing': ['flexible-changeover'],
  'on-site assisted assembly': ['assisted-assembly'],
  'machine-vision quality inspection': ['vision-defect-spike', 'vision-false-rejects'],
  'equipment fault diagnosis': ['bearing-wear-diagnosis'],
  'factory intelligent logistics': ['agv-traffic-jam'],
  'unmanned intelligent inspection': ['drone-hot-transformer', 'drone-battery-return'],
  'production site monitoring': ['site-monitoring'],
  '5G uplink congestion degrading vision inspection': ['uplink-congestion-vision'],
};

describe('the shipped scenario library', () => {
  it('validates every file and covers the ten typical 5G + industrial internet scenarios and uplink congestion', () => {
    expect(library.errors).toEqual([]);
    expect(all.length).toBeGreaterThanOrEqual(10);
    expect([...library.scenarios.keys()].sort()).toEqual(Object.values(THEMES).flat().sort());
    for (const { scenario: s } of all) {
      expect(s.learningGoal.length, s.id).toBeGreaterThan(80);
      expect(s.description.length, s.id).toBeGreaterThan(80);
      expect(s.expectations.length, s.id).toBeGreaterThan(0);
      expect(
        s.timeline.some((t) => t.action.type === 'message'),
        s.id,
      ).toBe(true);
    }
    expect(summaries(library).map((x) => Object.keys(x))).toEqual(
      all.map(() => ['id', 'name', 'description', 'learningGoal', 'translations']),
    );
  });

  it('injects every kind of scripted fault somewhere', () => {
    const used = new Set(
      all.flatMap(({ scenario }) =>
        scenario.timeline.flatMap((t) => (t.action.type === 'fault' ? [t.action.fault.kind] : [])),
      ),
    );
    expect([...used].sort()).toEqual([...SCENARIO_FAULT_KINDS].sort());
  });

  it.each(all.map((x) => [x.scenario.id, x] as const))(
    '%s runs to its end headless at 50x: every step applies, every expectation is scored, and doing nothing misses some',
    (_, { scenario, layout }) => {
      const run = runScenario(scenario, layout, { speed: 50 });
      expect(run.endS).toBeCloseTo(scenario.durationS, 6);
      const steps = run.log.filter((e) => e.kind === 'step');
      expect(steps.map((e) => (e.kind === 'step' ? [e.step, e.ok ? 'ok' : e.message] : []))).toEqual(
        scenario.timeline.map((t) => [t.index, 'ok']),
      );
      expect(run.results.map((r) => r.id)).toEqual(scenario.expectations.map((e) => e.id));
      for (const r of run.results) expect(r.detail.length, r.id).toBeGreaterThan(10);
      expect(run.results.some((r) => !r.met)).toBe(true);
    },
  );

  it.each(all.map((x) => [x.scenario.id, x] as const))(
    '%s: an attentive trainee (acknowledges within 10 s, then acts) meets every expectation',
    (_, { scenario, layout }) => {
      const run = runScenario(scenario, layout, { speed: 50, trainee: attentiveTrainee(scenario) });
      expect(run.results.filter((r) => !r.met).map((r) => `${r.id}: ${r.detail}`)).toEqual([]);
    },
  );

  it('gives the identical log twice for the same scenario and seed, byte for byte, and another for another seed', () => {
    for (const id of ['site-monitoring', 'uplink-congestion-vision']) {
      const { scenario, layout } = library.scenarios.get(id)!;
      const once = () =>
        JSON.stringify(runScenario(scenario, layout, { trainee: attentiveTrainee(scenario) }).log);
      const a = once();
      expect(a.length).toBeGreaterThan(5000);
      expect(once()).toBe(a);
      const other = runScenario(scenario, layout, {
        seed: scenario.seed + 1,
        trainee: attentiveTrainee(scenario),
      });
      expect(JSON.stringify(other.log)).not.toBe(a);
    }
  });
});
