import type { Alarm, AlarmTransition } from './alarms';
import type { HandshakeAuth, Role, SessionEnded } from './auth';
import type { CommandAccepted } from './commands';
import type { DesignBytes, DesignJoined, DesignRoomRequest } from './designCollab';
import type { MachineState } from './kinds';
import type { Layout } from './layout';
import type {
  AlarmAckRequest,
  AlarmOutOfServiceRequest,
  AlarmShelveRequest,
  AlarmSinceRequest,
  AlarmUnshelveRequest,
  EquipmentCommandRequest,
  ReplayFramesRequest,
  ReplayOpenRequest,
  ReplaySeekRequest,
  TrainingControlRequest,
  TrainingInjectRequest,
} from './requests';
import type { ScenarioAction, ScenarioLogEntry } from './scenario';
import type { AlarmTemplate, CodedText, Translations } from './text';

/**
 * The one typed event map both ends use (Socket.IO `Server<ClientToServer, ServerToClient>` and
 * `Socket<ServerToClient, ClientToServer>`). Events are named `domain:verb`. Types are not
 * validation: the server checks every inbound payload with its schema (requests/), and each
 * request type here is that schema's input type. The server's handler registration is typed by
 * this map: a handler's parsed payload and its reply are checked against it by the compiler.
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
  /** English, for logs and API users. */
  message: string;
  /** The same text as a code (EN_TEXTS key `event.*`) with params; absent in events recorded before codes existed. */
  text?: CodedText;
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
  /** Message template of every alarm rule by rule id, in each language the rules file gives (Alarm.text). */
  alarmTemplates?: Record<string, AlarmTemplate>;
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
  /** The message as a text code when the plant or a scenario gave the reason (`cmd.refused.*`, `scenario.refused.*`). */
  text?: CodedText;
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
  /** Training sessions only: the session's state, on join and whenever it changes. */
  'training:state': (state: TrainingState) => void;
  /** Training sessions only: a scenario timeline step was applied (message steps carry their text). */
  'training:step': (step: TrainingStepApplied) => void;
  /** Training sessions, to trainers only: what someone in the session did, live. */
  'training:activity': (activity: TrainingActivity) => void;
  /** The training session was ended by a trainer; the server disconnects right after (log in stays valid). */
  'training:ended': (info: TrainingEnded) => void;
  /** Design pages: a change someone else made to the joined draft (a Yjs update; designCollab.ts). */
  'design:update': (msg: DesignBytes) => void;
  /** Design pages: who is in the joined draft and what they look at (an awareness update). */
  'design:awareness': (msg: DesignBytes) => void;
}

/** `alarm:ack` answer. */
export interface AlarmAckAnswer {
  acknowledged: string[];
  refused: { id: string; code: ErrorCode; message: string }[];
}

export interface ClientToServerEvents {
  /** Asks for a fresh `plant:snapshot`; answered on the ack and followed by the snapshot event. */
  'plant:resync': (ack: (result: AckResult<{ seq: number }>) => void) => void;
  /** Acknowledged ids; ids that could not be acknowledged are listed in `refused` (all refused: a refusal). */
  'alarm:ack': (req: AlarmAckRequest, ack: (result: AckResult<AlarmAckAnswer>) => void) => void;
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
    req: AlarmSinceRequest,
    ack: (result: AckResult<{ transitions: AlarmTransition[] }>) => void,
  ) => void;
  /** An operator command to equipment or a line (see EquipmentCommandRequest). */
  'equipment:command': (
    req: EquipmentCommandRequest,
    ack: (result: AckResult<CommandAccepted>) => void,
  ) => void;
  /** Trainer (training:run): start, pause, resume, single step, speed or restart the socket's training session. */
  'training:control': (
    req: TrainingControlRequest,
    ack: (result: AckResult<{ state: TrainingState; message?: string; text?: CodedText }>) => void,
  ) => void;
  /** Trainer (training:run): injects or clears a fault by hand in the socket's training session (simulated). */
  'training:inject': (
    req: TrainingInjectRequest,
    ack: (result: AckResult<{ message: string; text?: CodedText; simTimeS: number }>) => void,
  ) => void;
  /** Opens a recording for the replay view: its plant layout, summary and timeline (to the requester only). */
  'replay:open': (req: ReplayOpenRequest, ack: (result: AckResult<ReplayOpened>) => void) => void;
  /** The recorded state at a simulation time (clamped to the recording), as live at that instant. */
  'replay:seek': (req: ReplaySeekRequest, ack: (result: AckResult<{ state: ReplayState }>) => void) => void;
  /**
   * Delta frames and items with fromS < sim time <= toS (at most REPLAY_MAX_SPAN_S), for playback;
   * the frames come packed in one binary (see ReplayFramesAnswer, `unpackReplayWindow`).
   */
  'replay:frames': (req: ReplayFramesRequest, ack: (result: AckResult<ReplayFramesAnswer>) => void) => void;
  /** Design pages (engineers, admins): joins a draft's live editing; answers its doc and awareness. */
  'design:join': (req: DesignRoomRequest, ack: (result: AckResult<DesignJoined>) => void) => void;
  /** A change to the joined draft (a Yjs update, binary). */
  'design:update': (req: DesignBytes, ack: (result: AckResult) => void) => void;
  /** The sender's presence in the joined draft (an awareness update, binary). */
  'design:awareness': (req: DesignBytes, ack: (result: AckResult) => void) => void;
  /** Leaves the draft (closing the page or the socket does the same). */
  'design:leave': (req: DesignRoomRequest, ack: (result: AckResult) => void) => void;
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
  /** The training session this socket is in (handshake `auth.session`); absent or null: the live plant. */
  trainingId?: string | null;
}

/**
 * Socket.IO handshake `auth` with a training session: `session` is the session's id or join code
 * (case-insensitive); without it the socket watches the live plant. An unknown one is refused
 * with `NOT_FOUND`.
 */
export interface TrainingHandshakeAuth extends HandshakeAuth {
  session?: string;
}

/** Training session length of a join code, characters, from TRAINING_CODE_ALPHABET. */
export const TRAINING_CODE_LENGTH = 6;
/** Join code characters: no 0/O, 1/I/L (read aloud and typed by trainees). */
export const TRAINING_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A training session as its room and the trainers see it (`training:state`, `GET /api/sessions`). */
export interface TrainingState {
  id: string;
  /** Short join code (TRAINING_CODE_LENGTH characters). */
  code: string;
  scenarioId: string;
  scenarioName: string;
  /** The scenario's name in other languages. */
  scenarioNames?: Translations;
  seed: number;
  /** Whether the simulation advances with the clock (false: created, paused or finished). */
  running: boolean;
  /** Time scale, MIN_SPEED..MAX_SPEED (limits.ts). */
  speed: number;
  simTimeS: number;
  durationS: number;
  /** The scenario's duration was reached (the session paused itself there; it may be resumed). */
  finished: boolean;
  /** Restarts so far (0: the first run); a restart starts a fresh world, log and records. */
  run: number;
  createdBy: string;
  /** ms since epoch. */
  createdAt: number;
  /** Sockets connected to the session now. */
  participants: number;
}

/** A scenario timeline step as applied (`training:step`). */
export interface TrainingStepApplied {
  /** Sim time it was applied, s. */
  simS: number;
  /** Its index in the scenario's timeline, and its scheduled time. */
  step: number;
  atS: number;
  action: ScenarioAction['type'];
  ok: boolean;
  /** What changed, why nothing could, or a message step's text (English). */
  message: string;
  /** The same as a code: `scenario.*`, `cmd.*`, or `text.localized` (a message step in every language). */
  text?: CodedText;
}

/** What a participant did in a training session (`training:activity`, and the session log). */
export interface TrainingActivity {
  /** Wall time, ms since epoch, and sim time, s. */
  at: number;
  simS: number;
  user: string;
  role: Role;
  /** The client event ('alarm:ack', 'equipment:command', 'training:inject'...), or 'join' / 'leave'. */
  event: string;
  /** Equipment, alarm id(s) or the control action. */
  target: string | null;
  ok: boolean;
  code?: ErrorCode;
  message?: string;
  /** The message as a text code, when the plant or a scenario gave it. */
  text?: CodedText;
}

/** Sent to a training session's sockets just before the server closes them (the session was ended). */
export interface TrainingEnded {
  id: string;
  message: string;
  /** `training.endedBy` { user } or `training.serverShutdown`. */
  text?: CodedText;
}

/**
 * One entry of a training session's event log (`GET /api/sessions/:id/events`), with its sim
 * time: plant events, alarm transitions (trainees' acknowledgements carry `user`), applied
 * timeline steps, trainees' commands that reached the plant, and every participant's requests
 * (including refused ones, hand injections and clock control) as `activity`.
 */
export type TrainingLogEntry =
  | ScenarioLogEntry
  | { simS: number; kind: 'activity'; activity: TrainingActivity };

/** What was recorded: the live plant or a training session run. */
export type RecordingKind = 'live' | 'training';

/** A recording as `GET /api/recordings` lists it. Times: wall ms since epoch; simulation s. */
export interface RecordingSummary {
  id: string;
  kind: RecordingKind;
  /** 'live', or the training session's id. */
  sessionId: string;
  scenarioId: string | null;
  seed: number;
  startedAt: number;
  /** null while it is being recorded (or when the server stopped without closing it). */
  endedAt: number | null;
  /** Simulation time stored so far (older parts may have gone to the retention). */
  fromSimS: number;
  toSimS: number;
  /** Stored (compressed) bytes. */
  bytes: number;
}

/** An alarm raise on the replay timeline ("jump to next alarm"). */
export interface ReplayAlarmMark {
  simS: number;
  alarmId: string;
  priority: string;
}

/** A bookmark on a recording's timeline. */
export interface ReplayBookmark {
  id: number;
  simS: number;
  label: string;
  /** ms since epoch. */
  createdAt: number;
  user: string | null;
}

/** A recording's extent, alarm raises and bookmarks (`replay:open`, `GET /api/recordings/:id/timeline`). */
export interface ReplayTimeline {
  fromSimS: number;
  toSimS: number;
  durationS: number;
  alarms: ReplayAlarmMark[];
  bookmarks: ReplayBookmark[];
  /** The recording is finished (false: it is still growing). */
  ended: boolean;
}

/** The scene, alarms, KPIs and events as they were live at one instant (`replay:seek`). */
export interface ReplayState {
  tick: number;
  simTimeS: number;
  /** A full telemetry frame (same codec as `telemetry:frame`; apply like a snapshot's keyframe). */
  keyframe: ArrayBuffer;
  /** The most recent plant events, oldest first, and the newest event's sequence number. */
  events: PlantEvent[];
  seq: number;
  /** Alarms that were not normal, and the newest alarm transition's sequence number. */
  alarms: Alarm[];
  alarmSeq: number;
  kpis: KpiUpdate | null;
}

/** A recorded event (`e`), alarm transition (`a`) or KPI update (`k`) with its tick, sim time and wall time. */
export type ReplayItem =
  | { k: 'e'; tick: number; simS: number; wall: number; event: PlantEvent }
  | { k: 'a'; tick: number; simS: number; wall: number; transition: AlarmTransition }
  | { k: 'k'; tick: number; simS: number; wall: number; kpis: KpiUpdate };

/** A replay window unpacked: delta frames byte for byte as sent live, and the items, in order. */
export interface ReplayWindow {
  frames: ArrayBuffer[];
  items: ReplayItem[];
}

/**
 * `replay:frames` answer as it crosses the wire: the window's frames back to back in one binary
 * (Socket.IO's parser refuses a message with more than 10 binary attachments, so not one each),
 * with where each ends. `unpackReplayWindow` turns it into a ReplayWindow.
 */
export interface ReplayFramesAnswer {
  /** The frames' bytes back to back (a Buffer or Uint8Array view under Node's client). */
  bytes: ArrayBuffer | ArrayBufferView;
  /** End offset of each frame in `bytes`: frame k is bytes[ends[k - 1] ?? 0, ends[k]). */
  ends: number[];
  items: ReplayItem[];
}

/** `replay:open` answer. */
export interface ReplayOpened {
  recording: RecordingSummary;
  /** The plant as it was recorded (equipment index on the wire = index in `layout.equipment`). */
  layout: Layout;
  timeline: ReplayTimeline;
  /** Alarm rule message templates by rule id (the server's current rules; see PlantSnapshot). */
  alarmTemplates?: Record<string, AlarmTemplate>;
}

/** The frames of a `replay:frames` answer as separate ArrayBuffers; throws on inconsistent offsets. */
export function unpackReplayWindow(a: Pick<ReplayFramesAnswer, 'bytes' | 'ends' | 'items'>): ReplayWindow {
  const b = a.bytes;
  const src = ArrayBuffer.isView(b)
    ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
    : new Uint8Array(b);
  const frames: ArrayBuffer[] = [];
  let at = 0;
  for (const end of a.ends) {
    if (!Number.isInteger(end) || end < at || end > src.byteLength)
      throw new Error(`replay window: frame end ${end} is out of order or past ${src.byteLength} bytes`);
    frames.push(src.slice(at, end).buffer);
    at = end;
  }
  return { frames, items: a.items };
}

/** Packs frames for a `replay:frames` answer (the server's half of `unpackReplayWindow`). */
export function packReplayFrames(frames: readonly ArrayBuffer[]): { bytes: ArrayBuffer; ends: number[] } {
  let size = 0;
  for (const f of frames) size += f.byteLength;
  const out = new Uint8Array(size);
  const ends: number[] = [];
  let at = 0;
  for (const f of frames) {
    out.set(new Uint8Array(f), at);
    at += f.byteLength;
    ends.push(at);
  }
  return { bytes: out.buffer, ends };
}
