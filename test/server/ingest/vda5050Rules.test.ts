import { describe, expect, it } from 'vitest';
import { AgvView, headerTimeMs, vdaMachineState } from '../../../server/ingest/vda5050/agvView';
import { orderSchema, plantToVda, type VdaState, vdaToPlant } from '../../../server/ingest/vda5050/messages';
import {
  agvDockNodes,
  buildOrder,
  instantActions,
  nearestDockNode,
  nearestNode,
  routeBetween,
} from '../../../server/ingest/vda5050/orders';
import { buildGraph } from '../../../server/sim/pathGraph';
import { defaultLayout } from '../../helpers/server';

/** A valid state: standing, automatic, no errors. */
const base: VdaState = {
  headerId: 0,
  timestamp: '2026-12-05T08:00:00.000Z',
  version: '2.1.0',
  manufacturer: 'Acme',
  serialNumber: '1',
  orderId: '',
  orderUpdateId: 0,
  lastNodeId: '',
  lastNodeSequenceId: 0,
  nodeStates: [],
  edgeStates: [],
  driving: false,
  actionStates: [],
  batteryState: { batteryCharge: 50, charging: false },
  operatingMode: 'AUTOMATIC',
  errors: [],
  safetyState: { eStop: 'NONE', fieldViolation: false },
};
const warning = { errorType: 'w', errorLevel: 'WARNING' as const };
const fatal = { errorType: 'f', errorLevel: 'FATAL' as const };

describe('VDA 5050 state rules', () => {
  it.each([
    ['standing', {}, 'idle'],
    ['driving', { driving: true }, 'running'],
    ['driving with a warning', { driving: true, errors: [warning] }, 'running'],
    ['paused while driving was set', { driving: true, paused: true }, 'idle'],
    ['a FATAL error while driving', { driving: true, errors: [warning, fatal] }, 'fault'],
    ['an emergency stop', { safetyState: { eStop: 'MANUAL' as const, fieldViolation: false } }, 'fault'],
    [
      'an e-stop in manual mode',
      { operatingMode: 'MANUAL' as const, safetyState: { eStop: 'REMOTE' as const, fieldViolation: false } },
      'fault',
    ],
    ['manual mode', { operatingMode: 'MANUAL' as const, driving: true }, 'maintenance'],
    ['service mode', { operatingMode: 'SERVICE' as const }, 'maintenance'],
    ['teach-in mode', { operatingMode: 'TEACHIN' as const }, 'maintenance'],
    ['semi-automatic, driving', { operatingMode: 'SEMIAUTOMATIC' as const, driving: true }, 'running'],
  ])('shows %s as its machine state', (_name, over, want) => {
    expect(vdaMachineState({ ...base, ...over })).toBe(want);
  });

  it('reads ISO 8601 header times with a zone only', () => {
    expect(headerTimeMs('2026-12-05T08:00:00.000Z')).toBe(Date.UTC(2026, 11, 5, 8));
    expect(headerTimeMs('2026-12-05T09:00:00+01:00')).toBe(Date.UTC(2026, 11, 5, 8));
    expect(headerTimeMs('2026-12-05T08:00:00')).toBeNull();
    expect(headerTimeMs('2026-12-05 08:00:00Z')).toBeNull();
    expect(headerTimeMs('2026-13-45T08:00:00Z')).toBeNull();
    expect(headerTimeMs('1764921600000')).toBeNull();
  });

  it('counts a headerId jump as a gap, but not a restart at 0 or a repeat', () => {
    const v = new AgvView(
      0,
      'AGV-01',
      'Acme',
      '1',
      { mapId: 'm', origin: [0, 0], rotationDeg: 0 },
      10,
      () => 0,
    );
    const gaps = [0, 1, 2, 4, 5, 5, 0, 1, 9].map((id) => v.headerGap('state', id));
    expect(gaps).toEqual([false, false, false, true, false, false, false, false, true]);
    expect(v.headerGap('visualization', 7)).toBe(false); // each topic counts on its own
    v.forgetHeaderIds();
    expect(v.headerGap('state', 20)).toBe(false);
  });
});

describe('VDA 5050 map transform and orders', () => {
  it('inverts plant <-> map at any rotation and offset', () => {
    for (const rotationDeg of [0, 30, 90, -135, 180, 721]) {
      const t = { origin: [12.5, -3] as const, rotationDeg };
      const [x, y, th] = plantToVda(t, 40, 17, 1.2);
      const [px, pz, yaw] = vdaToPlant(t, x, y, th);
      expect(px).toBeCloseTo(40, 9);
      expect(pz).toBeCloseTo(17, 9);
      expect(Math.cos(yaw - 1.2)).toBeCloseTo(1, 9);
    }
  });

  it('builds an order of released nodes at even and edges at odd sequence ids, the last node carrying its actions', () => {
    const layout = defaultLayout();
    const g = buildGraph(layout.paths);
    const map = { mapId: 'hall', origin: [80, 40] as [number, number], rotationDeg: 90 };
    const from = nearestNode(g, 83.4, 4.2);
    expect(g.ids[from]).toBe('PK-01');
    const dock = nearestDockNode(g, from, agvDockNodes(layout, g));
    expect(g.ids[dock]).toBe('CHG-01-N');
    const route = routeBetween(g, from, dock);
    expect(route).not.toBeNull();
    const header = {
      headerId: 3,
      timestamp: new Date(0).toISOString(),
      version: '2.0.0',
      manufacturer: 'A',
      serialNumber: '1',
    };
    const charge = { actionType: 'startCharging', actionId: 'x', blockingType: 'HARD' as const };
    const o = orderSchema.parse(buildOrder(g, route ?? [], map, header, 'o-1', [charge]));
    expect(o.nodes.map((n) => n.sequenceId)).toEqual(o.nodes.map((_, i) => 2 * i));
    expect(o.edges.map((e) => e.sequenceId)).toEqual(o.edges.map((_, i) => 2 * i + 1));
    expect(o.nodes.at(-1)?.actions).toEqual([charge]);
    // CHG-01-N is plant (83, 18.5): 3 m along +x, 21.5 m along −z of the origin -> map (21.5, -3).
    expect(o.nodes.at(-1)?.nodePosition?.x).toBeCloseTo(21.5, 9);
    expect(o.nodes.at(-1)?.nodePosition?.y).toBeCloseTo(-3, 9);
    // One node, no edges, when the AGV is already there.
    expect(buildOrder(g, [from], map, header, 'o-2').edges).toEqual([]);
    expect(instantActions(header, 'startPause', 'a').actions).toEqual([
      { actionType: 'startPause', actionId: 'a', blockingType: 'HARD' },
    ]);
  });
});
