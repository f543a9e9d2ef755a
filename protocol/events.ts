import type { Alarm, AlarmTransition } from './alarms';
import type { Role, SessionEnded } from './auth';
import type { CommandAccepted, EquipmentCommandRequest } from './commands';
import type { MachineState } from './kinds';
import type { Layout } from './layout';

/**
 * The one typed event map both ends use (Socket.IO `Server<ClientToServer, ServerToClient>` and
 * `Socket<ServerToClient, ClientToServer>`). Events are named `domain:verb`. Types are not
 * validation: the server checks every inbound payload with a schema.
 */

export const PROTOCOL_VERSION = 1;

/** Telemetry rate, Hz (one `telemetry:frame` per tick). */
export const TICK_HZ = 10;

/** Key performance indicators of one production line (rolling window). */
export interface LineKpi {
  id: string;
  name: string;
  /** The line's state: the worst of its equipment's states, by operator relevance. */
  state: MachineState;
  /** Good + bad units leaving the line per hour, over the rolling window. */
  throughputPerHour: number;
  /** Units inspected and units passed since start. */
  total: number;
  good: number;
  /** First-pass yield, 0..1. */
  fpy: number;
  /** OEE factors, 0..1: availability × performance × quality = oee. */
  availability: number;
  performance: number;
  quality: number;
  oee: number;
}

/** Plant-wide figures sent at 1 Hz (`kpi:update`). */
export interface KpiUpdate {
  simTimeS: number;
  lines: LineKpi[];
  plant: {
    oee: number;
    throughputPerHour: number;
    /** Share of AGVs carrying or driving to a load, 0..1. */
    agvUtilization: number;
    /** Devices attached to 5G cells. */
    connectedDevices: number;
    /** Mean 5G air latency over cells, ms. */
    latencyMs: number;
    /** Equipment in fault. */
    faults: number;
  };
}

/** A plain-language plant event (state changes, faults, deliveries), reliable and sequenced. */
export interface PlantEvent {
  /** Server sequence number, strictly increasing per plant. */
  seq: number;
  /** Simulation time, s. */
  simTimeS: number;
  equipmentId?: string;
  type: 'state' | 'fault' | 'recovery' | 'delivery' | 'info';
  severity: 'info' | 'warning' | 'fault';
  message: string;
  /** Caused by a fault a training scenario or a trainer injected (shown as simulated). */
  simulated?: true;
}

/** Everything a client needs to draw the plant from scratch (on connect and on resync). */
export interface PlantSnapshot {
  protocol: number;
  /** The validated layout; equipment index on the wire = index in `plant.equipment`. */
  plant: Layout;
  /** A telemetry frame holding every piece of equipment (same codec as `telemetry:frame`). */
  keyframe: ArrayBuffer;
  kpis: KpiUpdate;
  /** Latest events, oldest first, and the sequence number of the newest event. */
  events: PlantEvent[];
  seq: number;
  tick: number;
  simTimeS: number;
  /** Simulation speed multiplier (1 = real time). */
  speed: number;
  tickHz: number;
  /** Alarms that are not `normal`, and the sequence number of the newest alarm transition. */
  alarms: Alarm[];
  alarmSeq: number;
}

/** Refusal codes, one documented list for every acknowledged request. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'INVALID'
  | 'RATE_LIMITED'
  | 'CONFIRMATION_REQUIRED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INTERNAL';

/**
 * A refused request; it changed nothing. `RATE_LIMITED` carries `retryAfterMs`;
 * `CONFIRMATION_REQUIRED` carries the single-use `confirmation` token and when it expires.
 */
export type Refusal = {
  ok: false;
  code: ErrorCode;
  message: string;
  retryAfterMs?: number;
  confirmation?: string;
  /** ms since epoch. */
  confirmationExpiresAt?: number;
};
/** The answer to every acknowledged client request. */
export type AckResult<T extends object = object> = ({ ok: true } & T) | Refusal;

export interface ServerToClientEvents {
  'plant:snapshot': (snapshot: PlantSnapshot) => void;
  /** One binary frame per tick with the equipment that changed (volatile). */
  'telemetry:frame': (frame: ArrayBuffer) => void;
  'kpi:update': (kpis: KpiUpdate) => void;
  'plant:event': (event: PlantEvent) => void;
  /** One alarm lifecycle transition (reliable, in sequence order). */
  'alarm:changed': (transition: AlarmTransition) => void;
  /** The socket's session ended (logout, expiry, user removed); the server disconnects right after. */
  'session:ended': (info: SessionEnded) => void;
}

/** Request payloads of the alarm actions (validated by schema on the server). */
export interface AlarmAckRequest {
  ids: string[];
}
export interface AlarmShelveRequest {
  id: string;
  minutes: number;
  reason: string;
}
export interface AlarmUnshelveRequest {
  id: string;
}
export interface AlarmOutOfServiceRequest {
  id: string;
  enabled: boolean;
  reason: string;
}

export interface ClientToServerEvents {
  /** Asks for a fresh `plant:snapshot`; answered on the ack and followed by the snapshot event. */
  'plant:resync': (ack: (result: AckResult<{ seq: number }>) => void) => void;
  'alarm:ack': (req: AlarmAckRequest, ack: (result: AckResult<{ acknowledged: string[] }>) => void) => void;
  'alarm:shelve': (req: AlarmShelveRequest, ack: (result: AckResult<{ alarm: Alarm }>) => void) => void;
  'alarm:unshelve': (req: AlarmUnshelveRequest, ack: (result: AckResult<{ alarm: Alarm }>) => void) => void;
  'alarm:out-of-service': (
    req: AlarmOutOfServiceRequest,
    ack: (result: AckResult<{ alarm: Alarm }>) => void,
  ) => void;
  /**
   * Catch-up after a reconnect: the transitions after `seq`, in order; `CONFLICT` when they are no
   * longer all held in memory, and the client takes a fresh snapshot instead.
   */
  'alarm:since': (
    req: { seq: number },
    ack: (result: AckResult<{ transitions: AlarmTransition[] }>) => void,
  ) => void;
  /** An operator command to equipment or a line (see EquipmentCommandRequest). */
  'equipment:command': (
    req: EquipmentCommandRequest,
    ack: (result: AckResult<CommandAccepted>) => void,
  ) => void;
}

// biome-ignore lint/complexity/noBannedTypes: Socket.IO's InterServerEvents slot; nothing crosses servers yet.
export type InterServerEvents = {};

/** What the server knows of a connected socket (set by the handshake check). */
export interface SocketData {
  connectedAt: number;
  /** Who is connected: a user name, or 'showcase' for a public showcase viewer. */
  user: string;
  role: Role;
  /** Login session id, null for the public showcase. */
  sid: string | null;
  /** Remote address, for the audit. */
  source: string;
}
