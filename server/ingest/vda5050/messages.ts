import { z } from 'zod';

/**
 * VDA 5050 (2.0 and 2.1) messages the twin reads (`state`, `visualization`, `connection`) and
 * writes (`instantActions`, `order`), as the specification's JSON. Shared by the observer (reads
 * AGVs, sends commands) and the virtual plant (plays AGVs). Inbound schemas accept extra fields
 * (vendors add their own; the specification allows it) but check the types of every field used.
 * Topics: `<interfaceName>/<majorVersion>/<manufacturer>/<serialNumber>/<topic>`.
 */

/** The topics of one AGV, after the `<interfaceName>/<majorVersion>/<manufacturer>/<serialNumber>/` prefix. */
export const VDA_TOPICS = [
  'order',
  'instantActions',
  'state',
  'visualization',
  'connection',
  'factsheet',
] as const;
export type VdaTopic = (typeof VDA_TOPICS)[number];

/** The topic of one AGV's message. */
export function vdaTopic(
  interfaceName: string,
  majorVersion: string,
  manufacturer: string,
  serialNumber: string,
  topic: VdaTopic,
): string {
  return `${interfaceName}/${majorVersion}/${manufacturer}/${serialNumber}/${topic}`;
}

const finite = z.number().refine(Number.isFinite, { error: 'expected a finite number' });

/** Fields every message starts with. */
export const headerSchema = z.object({
  headerId: z.number().int().min(0).max(0xffffffff),
  /** ISO 8601 with time zone, e.g. 2026-12-05T08:00:00.000Z. */
  timestamp: z.string().max(64),
  version: z.string().max(32),
  manufacturer: z.string().max(128),
  serialNumber: z.string().max(128),
});
export type VdaHeader = z.infer<typeof headerSchema>;

export const agvPositionSchema = z.object({
  x: finite,
  y: finite,
  /** rad, in [-π, π], counter-clockwise from the map's x axis. */
  theta: finite,
  mapId: z.string().max(128),
  positionInitialized: z.boolean(),
  localizationScore: finite.optional(),
  deviationRange: finite.optional(),
});
export type AgvPosition = z.infer<typeof agvPositionSchema>;

export const velocitySchema = z.object({
  vx: finite.optional(),
  vy: finite.optional(),
  omega: finite.optional(),
});

export const ERROR_LEVELS = ['WARNING', 'FATAL'] as const;
export const OPERATING_MODES = ['AUTOMATIC', 'SEMIAUTOMATIC', 'MANUAL', 'SERVICE', 'TEACHIN'] as const;
export const E_STOPS = ['AUTOACK', 'MANUAL', 'REMOTE', 'NONE'] as const;
export const ACTION_STATUSES = [
  'WAITING',
  'INITIALIZING',
  'RUNNING',
  'PAUSED',
  'FINISHED',
  'FAILED',
] as const;
export const CONNECTION_STATES = ['ONLINE', 'OFFLINE', 'CONNECTIONBROKEN'] as const;

export const stateSchema = headerSchema.extend({
  orderId: z.string().max(256),
  orderUpdateId: z.number().int().min(0),
  lastNodeId: z.string().max(256),
  lastNodeSequenceId: z.number().int().min(0),
  nodeStates: z
    .array(z.object({ nodeId: z.string(), sequenceId: z.number().int(), released: z.boolean() }))
    .max(1000),
  edgeStates: z
    .array(z.object({ edgeId: z.string(), sequenceId: z.number().int(), released: z.boolean() }))
    .max(1000),
  agvPosition: agvPositionSchema.optional(),
  velocity: velocitySchema.optional(),
  driving: z.boolean(),
  paused: z.boolean().optional(),
  actionStates: z
    .array(
      z.object({
        actionId: z.string().max(256),
        actionType: z.string().max(128).optional(),
        actionStatus: z.enum(ACTION_STATUSES),
        resultDescription: z.string().max(1024).optional(),
      }),
    )
    .max(1000),
  batteryState: z.object({
    /** State of charge, %. */
    batteryCharge: finite,
    batteryVoltage: finite.optional(),
    charging: z.boolean(),
  }),
  operatingMode: z.enum(OPERATING_MODES),
  errors: z
    .array(
      z.object({
        errorType: z.string().max(256),
        errorLevel: z.enum(ERROR_LEVELS),
        errorDescription: z.string().max(1024).optional(),
      }),
    )
    .max(1000),
  safetyState: z.object({ eStop: z.enum(E_STOPS), fieldViolation: z.boolean() }),
});
export type VdaState = z.infer<typeof stateSchema>;

export const visualizationSchema = headerSchema.extend({
  agvPosition: agvPositionSchema.optional(),
  velocity: velocitySchema.optional(),
});
export type VdaVisualization = z.infer<typeof visualizationSchema>;

export const connectionSchema = headerSchema.extend({ connectionState: z.enum(CONNECTION_STATES) });
export type VdaConnection = z.infer<typeof connectionSchema>;

/** One action (instant, or on a node/edge of an order). */
export interface VdaAction {
  actionType: string;
  actionId: string;
  blockingType: 'NONE' | 'SOFT' | 'HARD';
  actionDescription?: string;
  actionParameters?: { key: string; value: string | number | boolean }[];
}
export const actionSchema = z.object({
  actionType: z.string().max(128),
  actionId: z.string().max(256),
  blockingType: z.enum(['NONE', 'SOFT', 'HARD']),
  actionDescription: z.string().max(1024).optional(),
  actionParameters: z
    .array(
      z.object({ key: z.string().max(128), value: z.union([z.string().max(1024), finite, z.boolean()]) }),
    )
    .max(64)
    .optional(),
});

/** `instantActions` (2.0 names the list `actions`). */
export interface VdaInstantActions extends VdaHeader {
  actions: VdaAction[];
}
export const instantActionsSchema = headerSchema.extend({ actions: z.array(actionSchema).max(100) });

export interface VdaNode {
  nodeId: string;
  sequenceId: number;
  released: boolean;
  nodePosition?: { x: number; y: number; theta?: number; mapId: string; allowedDeviationXY?: number };
  actions: VdaAction[];
}
export interface VdaEdge {
  edgeId: string;
  sequenceId: number;
  released: boolean;
  startNodeId: string;
  endNodeId: string;
  /** m/s. */
  maxSpeed?: number;
  actions: VdaAction[];
}
/** `order`: nodes at even sequence ids, edges at odd ones between them. */
export interface VdaOrder extends VdaHeader {
  orderId: string;
  orderUpdateId: number;
  nodes: VdaNode[];
  edges: VdaEdge[];
}
export const orderSchema = headerSchema.extend({
  orderId: z.string().max(256),
  orderUpdateId: z.number().int().min(0),
  nodes: z
    .array(
      z.object({
        nodeId: z.string().max(256),
        sequenceId: z.number().int().min(0),
        released: z.boolean(),
        nodePosition: z
          .object({
            x: finite,
            y: finite,
            theta: finite.optional(),
            mapId: z.string().max(128),
            allowedDeviationXY: finite.optional(),
          })
          .optional(),
        actions: z.array(actionSchema).max(64),
      }),
    )
    .min(1)
    .max(1000),
  edges: z
    .array(
      z.object({
        edgeId: z.string().max(256),
        sequenceId: z.number().int().min(0),
        released: z.boolean(),
        startNodeId: z.string().max(256),
        endNodeId: z.string().max(256),
        maxSpeed: finite.optional(),
        actions: z.array(actionSchema).max(64),
      }),
    )
    .max(1000),
});

/** Plant <-> VDA map frame: VDA (x, y) on a map whose origin lies at plant (ox, oz), x axis rotated by rotationDeg about +y. */
export interface MapTransform {
  origin: readonly [number, number];
  rotationDeg: number;
}

const DEG = Math.PI / 180;

/** Wraps an angle to [-π, π], rad. */
export function wrapPi(a: number): number {
  return Math.atan2(Math.sin(a), Math.cos(a));
}

/**
 * VDA map pose -> plant pose. The map's x axis points along plant +x turned by rotationDeg about
 * +y, its y axis 90° counter-clockwise from it seen from above (plant −z when unrotated); theta and
 * the plant's yaw are both counter-clockwise from above, so yaw = theta + rotation.
 * Returns [x, z, yaw] (m, m, rad).
 */
export function vdaToPlant(t: MapTransform, x: number, y: number, theta: number): [number, number, number] {
  const r = t.rotationDeg * DEG;
  const c = Math.cos(r);
  const s = Math.sin(r);
  const east = x * c - y * s;
  const north = x * s + y * c;
  return [t.origin[0] + east, t.origin[1] - north, wrapPi(theta + r)];
}

/** Plant pose -> VDA map pose (inverse of vdaToPlant). Returns [x, y, theta] (m, m, rad). */
export function plantToVda(t: MapTransform, px: number, pz: number, yaw: number): [number, number, number] {
  const r = t.rotationDeg * DEG;
  const c = Math.cos(r);
  const s = Math.sin(r);
  const east = px - t.origin[0];
  const north = -(pz - t.origin[1]);
  return [east * c + north * s, -east * s + north * c, wrapPi(yaw - r)];
}
