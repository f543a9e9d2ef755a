import { z } from 'zod';
import { EQUIPMENT_KINDS } from './kinds';

/**
 * The plant layout file format (assets/plants/*.json). Coordinates are metres in a right-handed
 * frame: x east, y up, z south, floor at y = 0. Rotations are yaw in degrees about +y.
 * Everything is validated here; `parseLayout` returns either the layout or path-named errors.
 */

const vec3 = z
  .array(z.number({ error: 'expected a finite number' }), { error: 'expected 3 numbers' })
  .length(3, { error: 'expected 3 numbers' });
const vec2 = z
  .array(z.number({ error: 'expected a finite number' }), { error: 'expected 2 numbers' })
  .length(2, { error: 'expected 2 numbers' });
const id = z.string({ error: 'expected an id string' }).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, {
  error: 'expected an id of letters, digits, "-", "_" or "." (max 40)',
});
const name = z.string({ error: 'expected a string' }).min(1, { error: 'must not be empty' }).max(80);
/** Translations of a name (`names: { "zh-CN": "..." }` beside `name`). */
const names = z
  .object(
    {
      'zh-CN': z
        .string({ error: 'expected a string' })
        .min(1, { error: 'must not be empty' })
        .max(80, { error: 'expected at most 80 characters' })
        .optional(),
    },
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys'
          ? `unknown language ${iss.keys.map((k) => `"${k}"`).join(', ')}; expected only "zh-CN"`
          : 'expected an object of translations, e.g. { "zh-CN": "..." }',
    },
  )
  .strict()
  .optional();
const positive = z.number({ error: 'expected a number' }).positive({ error: 'must be > 0' });

const base = {
  id,
  name,
  names,
  /** Zone id the equipment stands in. */
  zone: id,
  position: vec3,
  /** Yaw, degrees. */
  rotation: z.number({ error: 'expected a number (degrees)' }).default(0),
  /** Production line id, for line equipment. */
  line: id.optional(),
};

/** Per-kind equipment entries; `props` holds what the simulation and the scene need of that kind. */
export const equipmentSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({
      ...base,
      kind: z.literal('robot-arm'),
      props: z
        .object({
          task: z.enum(['pick-place', 'screwdriving', 'dispensing']).default('pick-place'),
          /** Nominal cycle time, s. */
          cycleS: positive.max(120).default(6),
          /** Reach, m (scales the model). */
          reach: positive.max(4).default(1.2),
        })
        .strict()
        .default({ task: 'pick-place', cycleS: 6, reach: 1.2 }),
    }),
    z.object({
      ...base,
      kind: z.literal('conveyor'),
      props: z
        .object({
          /** Belt length along its local +x, m. */
          length: positive.max(200),
          /** Nominal belt speed, m/s. */
          beltSpeed: positive.max(2).default(0.3),
          /** Spacing between products on the belt, m. */
          pitch: positive.max(5).default(0.6),
        })
        .strict(),
    }),
    z.object({
      ...base,
      kind: z.literal('vision-station'),
      props: z
        .object({
          camera: z.string().max(20).default('8K'),
          /** Probability that a unit is defective (0..1). */
          defectRate: z.number().min(0).max(1).default(0.01),
        })
        .strict()
        .default({ camera: '8K', defectRate: 0.01 }),
    }),
    z.object({
      ...base,
      kind: z.literal('base-station'),
      props: z
        .object({
          /** Design coverage radius, m. */
          radius: positive.max(2000).default(30),
          band: z.string().max(20).default('n78'),
        })
        .strict()
        .default({ radius: 30, band: 'n78' }),
    }),
    z.object({
      ...base,
      kind: z.literal('agv'),
      props: z
        .object({
          /** Path node the AGV starts at. */
          home: id,
          /** Top speed, m/s. */
          maxSpeed: positive.max(3).default(1.2),
          /** Rated payload, kg. */
          capacityKg: positive.max(5000).default(1000),
        })
        .strict(),
    }),
    z.object({ ...base, kind: z.literal('drone'), props: z.object({}).strict().default({}) }),
    z.object({
      ...base,
      kind: z.literal('charging-dock'),
      props: z
        .object({
          /** Path node the dock sits on (AGV docks); omitted for drone pads. */
          node: id.optional(),
          for: z.enum(['agv', 'drone']).default('agv'),
        })
        .strict()
        .default({ for: 'agv' }),
    }),
    z.object({
      ...base,
      kind: z.literal('rack'),
      props: z.object({ node: id, capacity: z.number().int().positive().max(100).default(24) }).strict(),
    }),
    z.object({
      ...base,
      kind: z.literal('feeder'),
      props: z.object({ node: id }).strict(),
    }),
    z.object({
      ...base,
      kind: z.literal('transformer'),
      props: z
        .object({ ratingKva: positive.max(100000).default(2500) })
        .strict()
        .default({ ratingKva: 2500 }),
    }),
    z.object({ ...base, kind: z.literal('edge-server'), props: z.object({}).strict().default({}) }),
  ],
  { error: `expected "kind" to be one of: ${EQUIPMENT_KINDS.join(', ')}` },
);

export const zoneSchema = z.object({
  id,
  name,
  names,
  kind: z.enum(['hall', 'warehouse', 'outdoor', 'utility']),
  /** Floor rectangle corners [x, z], m. */
  min: vec2,
  max: vec2,
  /** Wall height, m (0 for open ground). */
  height: z.number().min(0).max(50).default(8),
});

export const lineSchema = z.object({
  id,
  name,
  names,
  zone: id,
  /** Equipment ids in material-flow order (conveyors, robots, vision station). */
  flow: z.array(id).min(1, { error: 'a line needs at least one piece of equipment' }),
  /** Units per hour the line is planned for (OEE performance reference). */
  targetPerHour: positive.max(100000),
});

export const pathsSchema = z.object({
  nodes: z
    .array(
      z.object({
        id,
        position: vec2,
        /** What operators call the spot ("Line 1 feeder drop-off"); optional, the id otherwise. */
        name: name.optional(),
        names,
      }),
    )
    .min(2, { error: 'an AGV path network needs at least 2 nodes' }),
  /** Two-way aisles between nodes. */
  edges: z.array(z.array(id).length(2, { error: 'expected [fromNode, toNode]' })),
});

export const droneRouteSchema = z.object({
  id,
  drone: id,
  /** Charging-dock equipment the drone starts from and returns to. */
  dock: id,
  indoor: z.boolean(),
  /** Cruise speed, m/s. */
  speed: positive.max(20),
  waypoints: z.array(vec3).min(2, { error: 'a route needs at least 2 waypoints' }),
});

export const viewpointSchema = z.object({ id, name, names, position: vec3, target: vec3 });

export const layoutSchema = z
  .object({
    name,
    names,
    /** Where the plant is, free text (shown beside its name). */
    site: z.string().max(120).optional(),
    /** Translations of `site`, like `names` of `name`. */
    siteNames: names,
    zones: z.array(zoneSchema).min(1, { error: 'a plant needs at least one zone' }),
    lines: z.array(lineSchema).default([]),
    equipment: z.array(equipmentSchema).min(1, { error: 'a plant needs at least one piece of equipment' }),
    paths: pathsSchema.optional(),
    droneRoutes: z.array(droneRouteSchema).default([]),
    viewpoints: z.array(viewpointSchema).default([]),
  })
  .strict()
  .superRefine((l, ctx) => {
    const dup = (items: { id: string }[], path: string) => {
      const seen = new Set<string>();
      items.forEach((it, i) => {
        if (seen.has(it.id))
          ctx.addIssue({ code: 'custom', path: [path, i, 'id'], message: `duplicate id "${it.id}"` });
        seen.add(it.id);
      });
      return seen;
    };
    const zones = dup(l.zones, 'zones');
    const equipment = dup(l.equipment, 'equipment');
    const lines = dup(l.lines, 'lines');
    const nodes = dup(l.paths?.nodes ?? [], 'paths.nodes');
    dup(l.droneRoutes, 'droneRoutes');
    dup(l.viewpoints, 'viewpoints');
    const kindOf = new Map(l.equipment.map((e) => [e.id, e.kind]));
    // AGVs stop at homes, racks, feeders and docks; a stop on a through-aisle could deadlock the
    // fleet, so every stop node must be a dead-end spur (exactly one aisle).
    const degree = new Map<string, number>();
    for (const [a, b] of l.paths?.edges ?? []) {
      degree.set(a, (degree.get(a) ?? 0) + 1);
      degree.set(b, (degree.get(b) ?? 0) + 1);
    }
    const spur = (node: string | undefined, path: (string | number)[]) => {
      if (node !== undefined && nodes.has(node) && degree.get(node) !== 1)
        ctx.addIssue({
          code: 'custom',
          path,
          message: `AGV stop node "${node}" must be a dead-end spur with exactly one aisle (has ${degree.get(node) ?? 0})`,
        });
    };
    const need = (set: Set<string>, value: string | undefined, path: (string | number)[], what: string) => {
      if (value !== undefined && !set.has(value))
        ctx.addIssue({ code: 'custom', path, message: `unknown ${what} "${value}"` });
    };
    // Equipment stands on the floor of some zone (its x, z inside a zone's rectangle, edges included).
    const inSomeZone = (x: number, z: number) =>
      l.zones.some((zn) => x >= zn.min[0] && x <= zn.max[0] && z >= zn.min[1] && z <= zn.max[1]);
    l.equipment.forEach((e, i) => {
      need(zones, e.zone, ['equipment', i, 'zone'], 'zone');
      const [x, , z] = e.position;
      if (!inSomeZone(x, z))
        ctx.addIssue({
          code: 'custom',
          path: ['equipment', i, 'position'],
          message: `"${e.id}" at x ${x}, z ${z} m is outside every zone`,
        });
      need(lines, e.line, ['equipment', i, 'line'], 'line');
      const p = e.props as { node?: string; home?: string };
      if (e.kind === 'agv') {
        need(nodes, p.home, ['equipment', i, 'props', 'home'], 'path node');
        spur(p.home, ['equipment', i, 'props', 'home']);
      }
      if (e.kind === 'rack' || e.kind === 'feeder' || e.kind === 'charging-dock') {
        need(nodes, p.node, ['equipment', i, 'props', 'node'], 'path node');
        spur(p.node, ['equipment', i, 'props', 'node']);
      }
    });
    l.lines.forEach((line, i) => {
      need(zones, line.zone, ['lines', i, 'zone'], 'zone');
      line.flow.forEach((f, j) => {
        need(equipment, f, ['lines', i, 'flow', j], 'equipment');
      });
    });
    l.paths?.edges.forEach((edge, i) => {
      edge.forEach((n, j) => {
        need(nodes, n, ['paths', 'edges', i, j], 'path node');
      });
    });
    l.droneRoutes.forEach((r, i) => {
      if (kindOf.get(r.drone) !== 'drone')
        ctx.addIssue({
          code: 'custom',
          path: ['droneRoutes', i, 'drone'],
          message: `"${r.drone}" is not a drone`,
        });
      if (kindOf.get(r.dock) !== 'charging-dock')
        ctx.addIssue({
          code: 'custom',
          path: ['droneRoutes', i, 'dock'],
          message: `"${r.dock}" is not a charging-dock`,
        });
    });
    if (l.equipment.some((e) => e.kind === 'agv') && !l.paths)
      ctx.addIssue({ code: 'custom', path: ['paths'], message: 'AGVs need an AGV path network ("paths")' });
  });

export type Layout = z.output<typeof layoutSchema>;
export type LayoutInput = z.input<typeof layoutSchema>;
export type EquipmentSpec = Layout['equipment'][number];
export type ZoneSpec = Layout['zones'][number];
export type LineSpec = Layout['lines'][number];
export type DroneRouteSpec = Layout['droneRoutes'][number];
export type ViewpointSpec = Layout['viewpoints'][number];
export type PathNodeSpec = NonNullable<Layout['paths']>['nodes'][number];

/** Formats a zod issue path the way users read it: `equipment[12].position`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(root)';
}

export type LayoutResult = { ok: true; layout: Layout } | { ok: false; errors: string[] };

/** Validates an already-parsed JSON value as a plant layout; errors are `path: message` lines. */
export function parseLayout(input: unknown): LayoutResult {
  const r = layoutSchema.safeParse(input);
  if (r.success) return { ok: true, layout: r.data };
  return { ok: false, errors: r.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`) };
}
