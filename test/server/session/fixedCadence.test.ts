import { describe, expect, it } from 'vitest';
import { loadScenarioLibrary, SCENARIOS_DIR } from '../../../server/scenarios/loadScenario';
import { KPI_EVERY_STEPS } from '../../../server/session/plantSession';
import { type Trace, traceRun, withoutStamps } from './trace';

/**
 * "Frames" here: the world keyframe (the wire's frame codec, FrameBuilder.keyframe) at every cadence
 * point of 1 s of simulation time, compared by hash, byte for byte. Delta frames per tick depend on
 * how many steps a tick groups by nature; what they carry at a point in time is the keyframe.
 */

const bearing = loadScenarioLibrary(SCENARIOS_DIR).scenarios.get('bearing-wear-diagnosis')!;
/** The first vision alarm rises at ~60 s and returns at ~270 s; AGVs block and clear at ~553 s. */
const UNTIL_S = 600;
const SEED = 11;
const EPOCH = 1_765_000_000_000;

const base = { layout: bearing.layout, seed: SEED, scenario: bearing.scenario, untilS: UNTIL_S };
/** The reference: one step per call, wall clock on its own regular grid. */
const stepwise = (speed: number, origin?: number) =>
  traceRun({ ...base, speed, drive: 'steps', wallMs: (i) => EPOCH + i * 100, simClockOriginMs: origin });
/** Random real-time chunks; the wall clock the loop reports jitters on its own. */
const chunked = (speed: number, chunkSeed: number, origin?: number) =>
  traceRun({
    ...base,
    speed,
    drive: chunkSeed,
    wallMs: (i) => EPOCH + 5_000_000 + i * 97 + ((i * 7919) % 13),
    simClockOriginMs: origin,
  });

const reference = stepwise(1);

function expectSameDecisions(a: Trace, ref: Trace): void {
  expect(a.tick).toBe(ref.tick);
  expect(a.endS).toBe(ref.endS);
  expect(JSON.stringify(withoutStamps(a.log))).toBe(JSON.stringify(withoutStamps(ref.log)));
  expect(JSON.stringify(a.record)).toBe(JSON.stringify(ref.record));
  expect(JSON.stringify(a.results)).toBe(JSON.stringify(ref.results));
  expect(a.keyframes).toEqual(ref.keyframes);
  // The wire gets the latest KPIs of a tick: every one handed out is the cadence point's, byte for byte.
  const byTime = new Map(ref.kpis.map((k) => [k.simTimeS, JSON.stringify(k)]));
  expect(a.kpis.length).toBeGreaterThan(0);
  for (const k of a.kpis) expect(JSON.stringify(k), `KPIs at ${k.simTimeS} s`).toBe(byTime.get(k.simTimeS));
}

describe('a session on simulation time', () => {
  it('runs the reference long enough for alarms to rise and return, with KPIs every second of sim time', () => {
    const alarms = reference.log.filter((e) => e.kind === 'alarm');
    expect(alarms.map((e) => e.kind === 'alarm' && e.transition.to)).toEqual(
      expect.arrayContaining(['unacknowledged', 'rtn-unacknowledged']),
    );
    expect(reference.log.some((e) => e.kind === 'event')).toBe(true);
    expect(reference.log.some((e) => e.kind === 'step')).toBe(true);
    expect(reference.kpis).toHaveLength((UNTIL_S * 10) / KPI_EVERY_STEPS);
    expect(reference.keyframes.size).toBe(UNTIL_S);
    expect(reference.results.length).toBeGreaterThan(0);
  });

  for (const speed of [1, 7.3, 20, 50])
    it(`advanced in random real-time chunks at speed ${speed}, decides exactly what one stepped one step at a time does`, () => {
      const run = chunked(speed, Math.round(speed * 10));
      expectSameDecisions(run, reference);
      if (speed === 1) expect(run.kpis).toEqual(reference.kpis); // a tick of <= 0.25 s passes no cadence point unseen
    });

  it('takes only its stamps from the wall clock: other wall times change `at` and `raisedAt`, nothing else', () => {
    const other = chunked(20, 5);
    const stamps = (t: Trace) => t.log.flatMap((e) => (e.kind === 'alarm' ? [e.transition.at] : []));
    expect(stamps(other)).not.toEqual(stamps(reference));
    expectSameDecisions(other, reference);
  });

  it('with a simulation-derived wall clock (a training session), matches byte for byte, stamps included', () => {
    const ref = stepwise(1, EPOCH);
    const run = chunked(50, 77, EPOCH);
    expect(JSON.stringify(run.log)).toBe(JSON.stringify(ref.log));
    const first = ref.log.find((e) => e.kind === 'alarm');
    expect(first?.kind === 'alarm' && first.transition.at).toBe(EPOCH + Math.round(first!.simS * 1000));
    expectSameDecisions(run, ref);
  });
});
