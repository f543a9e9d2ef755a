import type { Layout } from '../../../protocol';

/**
 * The layout with one more AGV, AGV-09, parked like the shipped pallet movers on a parking spur of
 * its own: node PK-09 (x 100 m, z 2 m) off the warehouse aisle node TA-05 (an AGV's home must be a
 * dead end).
 */
export function withExtraAgv(layout: Layout): Layout {
  const copy = JSON.parse(JSON.stringify(layout)) as Layout;
  copy.paths?.nodes.push({ id: 'PK-09', position: [100, 2] });
  copy.paths?.edges.push(['PK-09', 'TA-05']);
  copy.equipment.push({
    id: 'AGV-09',
    name: 'AGV 09 (pallet mover)',
    kind: 'agv',
    zone: 'WH-1',
    position: [100, 0, 2],
    rotation: 0,
    props: { home: 'PK-09', maxSpeed: 1.4, capacityKg: 1000 },
  });
  return copy;
}
