import { describe, expect, it } from 'vitest';
import { parseLayout, WHATIF_COVERAGE_DBM } from '../../../protocol';
import { runWhatIf } from '../../../server/design/whatIf';
import { defaultLayout } from '../../helpers/server';
import { withExtraAgv } from './whatIfFixtures';

const plant = defaultLayout();
// 0.1 simulated hours (6 min): enough for AGVs to fetch pallets and lines to make units.
const HOURS = 0.1;

describe('what-if runner', () => {
  it('gives JSON-equal KPIs for the same layout, seed and hours', () => {
    const a = runWhatIf(plant, 5, HOURS);
    const b = runWhatIf(plant, 5, HOURS);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('gives other KPIs for another seed', () => {
    const a = runWhatIf(plant, 5, HOURS);
    const b = runWhatIf(plant, 6, HOURS);
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(b));
  });

  it('reports line OEE, units, throughput and AGV figures in their ranges', () => {
    const k = runWhatIf(plant, 5, HOURS);
    expect(k.simHours).toBeCloseTo(HOURS, 9);
    expect(k.lines.map((l) => l.id)).toEqual(plant.lines.map((l) => l.id));
    for (const l of k.lines) {
      for (const v of [l.availability, l.performance, l.quality, l.oee]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
      expect(l.good).toBeLessThanOrEqual(l.total);
    }
    expect(k.plant.totalUnits).toBeGreaterThan(0);
    expect(k.plant.throughputPerHour).toBeCloseTo(k.plant.totalUnits / HOURS, 1);
    expect(k.agvs.count).toBe(8);
    expect(k.agvs.utilization).toBeGreaterThan(0);
    expect(k.agvs.utilization).toBeLessThanOrEqual(1);
    expect(k.agvs.travelM).toBeGreaterThan(0);
    // No AGV can drive faster than 1.4 m/s.
    expect(k.agvs.travelM).toBeLessThanOrEqual(8 * 1.4 * HOURS * 3600);
    expect(k.agvs.waitS).toBeGreaterThanOrEqual(0);
  });

  it('maps coverage and AGV traffic on one floor grid', () => {
    const k = runWhatIf(plant, 5, HOURS);
    const { agvTraffic, rsrp } = k.heat;
    for (const g of [agvTraffic, rsrp]) expect(g.values).toHaveLength(g.cols * g.rows);
    expect({ ...agvTraffic, values: 0 }).toEqual({ ...rsrp, values: 0 });
    // The shipped floor: x 0..190 m, z -12..50 m, in 2 m cells.
    expect(rsrp).toMatchObject({ originX: 0, originZ: -12, cellM: 2, cols: 95, rows: 31 });
    // Every AGV is somewhere on the floor every sampled second.
    const occupied = agvTraffic.values.reduce<number>((s, v) => s + (v ?? 0), 0);
    expect(occupied).toBe(8 * HOURS * 3600);
    const floor = rsrp.values.filter((v): v is number => v !== null);
    const covered = floor.filter((v) => v >= WHATIF_COVERAGE_DBM).length / floor.length;
    expect(k.coverage.shareCovered).toBeCloseTo(covered, 4);
    expect(k.coverage.p5Dbm).toBeLessThanOrEqual(k.coverage.meanDbm);
    expect(k.coverage.cells.map((c) => c.id)).toEqual(
      plant.equipment.filter((e) => e.kind === 'base-station').map((e) => e.id),
    );
    for (const c of k.coverage.cells) {
      expect(c.peakMbps).toBeGreaterThanOrEqual(c.meanMbps);
      expect(c.visionMeanMbps).toBeLessThanOrEqual(c.meanMbps);
      expect(c.meanShare).toBeCloseTo(c.meanMbps / c.capacityMbps, 2);
    }
    // The vision stations stream 65-95 Mbit/s each while inspecting: some cell carries them.
    expect(Math.max(...k.coverage.cells.map((c) => c.visionMeanMbps))).toBeGreaterThan(50);
  });

  it('shows the effect of an extra AGV: one more counted, other travel and utilization', () => {
    const draft = withExtraAgv(plant);
    const parsed = parseLayout(draft);
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const before = runWhatIf(plant, 5, HOURS);
    const after = runWhatIf(parsed.layout, 5, HOURS);
    expect(after.agvs.count).toBe(before.agvs.count + 1);
    expect(after.equipment).toBe(before.equipment + 1);
    expect(after.agvs.travelM).not.toBe(before.agvs.travelM);
    expect(after.agvs.utilization).not.toBe(before.agvs.utilization);
  });

  it('reports progress rising to 1', () => {
    const seen: number[] = [];
    runWhatIf(plant, 5, 0.5, (p) => seen.push(p));
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.at(-1)).toBe(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]);
  });
});
