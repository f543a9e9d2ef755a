import { describe, expect, it } from 'vitest';
import { turnDeg } from '../../client/design/ChangesPanel';
import { changeMarks, diffEquipmentIds } from '../../client/design/changeMarks';
import {
  heatColor,
  heatPixels,
  heatRange,
  kpiRows,
  kpiTone,
  signedDelta,
} from '../../client/design/whatIfView';
import type { LayoutDiff } from '../../protocol/layoutDiff';
import { diffLayouts } from '../../protocol/layoutDiff';
import type { WhatIfGrid, WhatIfKpis } from '../../protocol/whatIf';

const grid = (values: (number | null)[], cols = 2): WhatIfGrid => ({
  originX: 0,
  originZ: 0,
  cellM: 2,
  cols,
  rows: values.length / cols,
  values,
});

function kpis(over: { oee?: number; tph?: number; travelM?: number; cells?: number[] } = {}): WhatIfKpis {
  return {
    simHours: 1,
    equipment: 10,
    lines: [
      {
        id: 'L1',
        name: 'Line 1',
        availability: 1,
        performance: 1,
        quality: 1,
        oee: over.oee ?? 0.8,
        total: 100,
        good: 99,
      },
    ],
    plant: { oee: over.oee ?? 0.8, throughputPerHour: over.tph ?? 100, totalUnits: 100, goodUnits: 99 },
    agvs: { count: 2, utilization: 0.5, travelM: over.travelM ?? 1000, waitS: 60, waits: 3, deliveries: 4 },
    coverage: {
      shareCovered: 0.9,
      thresholdDbm: -100,
      meanDbm: -80,
      p5Dbm: -95,
      cells: (over.cells ?? [0.5]).map((peakShare, i) => ({
        id: `C${i + 1}`,
        meanMbps: 1,
        peakMbps: 2,
        visionMeanMbps: 0,
        visionPeakMbps: 0,
        capacityMbps: 10,
        meanShare: 0.1,
        peakShare,
      })),
    },
    heat: { agvTraffic: grid([0, 1]), rsrp: grid([-80, null]) },
  };
}

describe('what-if table rows', () => {
  it('lists plant, line, AGV, 5G and per-cell rows with draft and live', () => {
    const rows = kpiRows(kpis({ tph: 120, cells: [0.5, 0.7] }), kpis({ tph: 100, cells: [0.5] }));
    const ids = rows.map((r) => r.id);
    expect(ids.slice(0, 4)).toEqual(['throughput', 'oee', 'line-oee-L1', 'line-units-L1']);
    expect(ids).toContain('coverage');
    expect(ids).toContain('rsrpP5');
    expect(ids.filter((i) => i.startsWith('cell-'))).toEqual(['cell-C1', 'cell-C2']);
    // A cell only the draft has counts 0 on the live side.
    expect(rows.find((r) => r.id === 'cell-C2')).toMatchObject({ draft: 0.7, live: 0 });
    expect(rows.find((r) => r.id === 'travel')).toMatchObject({ draft: 1, live: 1 });
  });

  it('names lines through the given function', () => {
    const rows = kpiRows(kpis(), kpis(), (id) => `线${id}`);
    expect(rows.find((r) => r.id === 'line-oee-L1')?.params).toEqual({ line: '线L1' });
  });

  it('calls a higher throughput better, longer travel worse, the AGV count neither', () => {
    expect(kpiTone({ draft: 120, live: 100, sense: 'up' })).toBe('better');
    expect(kpiTone({ draft: 2, live: 1, sense: 'down' })).toBe('worse');
    expect(kpiTone({ draft: 0.5, live: 1, sense: 'down' })).toBe('better');
    expect(kpiTone({ draft: 3, live: 2, sense: 'none' })).toBe('same');
    expect(kpiTone({ draft: 1, live: 1, sense: 'up' })).toBe('same');
  });

  it('writes the difference with its sign, ± when it rounds to nothing', () => {
    const fmt = (v: number) => v.toFixed(1);
    expect(signedDelta({ draft: 3, live: 1.5, format: { decimals: 1 } }, fmt)).toBe('+1.5');
    expect(signedDelta({ draft: 1, live: 1.5, format: { decimals: 1 } }, fmt)).toBe('−0.5');
    expect(signedDelta({ draft: 1.01, live: 1, format: { decimals: 1 } }, fmt)).toBe('±0.0');
  });
});

describe('heat map pixels', () => {
  it('paints values on the scale and leaves cells off the floor transparent', () => {
    const g = grid([-120, -60, null, -90]);
    const px = heatPixels('rsrp', g);
    expect(px).toHaveLength(4 * 4);
    expect([...px.slice(0, 3)]).toEqual(heatColor('rsrp', 0));
    expect([...px.slice(4, 7)]).toEqual(heatColor('rsrp', 1));
    expect(px[2 * 4 + 3]).toBe(0);
    expect(px[3 * 4 + 3]).toBeGreaterThan(0);
  });

  it('scales traffic from 0 to its peak, faint where no AGV passed', () => {
    const g = grid([0, 10, 5, null]);
    expect(heatRange('traffic', g)).toEqual([0, 10]);
    const px = heatPixels('traffic', g);
    expect(px[3]).toBeLessThan(px[7]);
    expect(heatRange('traffic', grid([0, 0]))).toEqual([0, 1]);
  });
});

describe('change marks', () => {
  const before = {
    equipment: [
      { id: 'R1', kind: 'robot-arm', position: [0, 0, 0], rotation: 0 },
      { id: 'R2', kind: 'robot-arm', position: [5, 0, 0] },
      { id: 'C1', kind: 'conveyor', position: [9, 0, 0], props: { speed: 1 } },
    ],
  };
  const after = {
    equipment: [
      { id: 'R1', kind: 'robot-arm', position: [3, 0, 4], rotation: 90 },
      { id: 'C1', kind: 'conveyor', position: [9, 0, 0], props: { speed: 2 } },
      { id: 'A1', kind: 'agv', position: [1, 0, 1] },
    ],
  };
  const diff: LayoutDiff = diffLayouts(before, after);

  it('marks added, moved (with a ghost and a line), changed and removed equipment', () => {
    const m = changeMarks(diff, after, before);
    const summary = m.boxes.map((b) => `${b.tone}${b.ghost ? '~' : ''}:${b.e.id}@${b.e.position[0]}`);
    expect(summary).toEqual(['added:A1@1', 'moved:R1@3', 'moved~:R1@0', 'changed:C1@9', 'removed~:R2@5']);
    expect(m.lines).toEqual([[0, 0, 3, 4]]);
    expect(m.boxes.find((b) => b.tone === 'moved' && b.ghost)?.e.rotation).toBe(0);
    expect(diffEquipmentIds(diff)).toEqual(['A1', 'R2', 'R1', 'C1']);
  });

  it('draws the ghost of removed equipment where the diff says it stood when the baseline is not known', () => {
    const m = changeMarks(diff, after, null);
    const ghost = m.boxes.find((b) => b.tone === 'removed');
    expect(ghost).toMatchObject({
      ghost: true,
      e: { id: 'R2', kind: 'robot-arm', position: [5, 0, 0], rotation: 0 },
    });
    expect(m.boxes.filter((b) => b.tone === 'moved')).toHaveLength(2);
  });

  it('turns the short way round', () => {
    expect(turnDeg(0, 90)).toBe(90);
    expect(turnDeg(350, 10)).toBe(20);
    expect(turnDeg(10, 350)).toBe(-20);
    expect(turnDeg(0, 180)).toBe(180);
  });
});
