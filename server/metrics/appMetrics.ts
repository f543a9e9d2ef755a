import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import {
  ALARM_PRIORITIES,
  ALARM_STATES,
  type AlarmTransition,
  ROLES,
  SCREENS,
  screenOf,
  type TrainingState,
} from '../../protocol';
import type { AlarmBook } from '../alarms/alarmBook';
import type { TwinServer, TwinSocket } from '../transport/types';
import { processRegistry } from './processMetrics';

/** Every metric of the app starts with this. */
export const METRIC_PREFIX = 'plant_twin_';

/** Tick duration buckets, seconds: a tick is budgeted at a few ms and must stay well under 100 ms. */
const TICK_BUCKETS_S = [
  0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.25, 1,
];
/** Simulation steps per tick: 1 at speed 1 and 10 Hz, 50 at speed 50, more while catching up. */
const STEP_BUCKETS = [0, 1, 2, 5, 10, 20, 50, 100, 250];

/** Kinds of recording (label `kind` of the recording bytes). */
export type RecordedKind = 'live' | 'training';

/** How an audited request ended, for the commands counter. */
export type RequestResult = 'ok' | 'refused' | 'error';

/** Why a login failed (label `reason` of the failed logins counter). */
export type FailedLoginReason = 'wrong_credentials' | 'throttled' | 'malformed';

/** What the app's metrics read at scrape time. Each may answer null/empty while there is nothing. */
export interface MetricSources {
  io: () => TwinServer | null;
  /** The live plant's alarms (null: the plant runs without alarms). */
  alarms: () => AlarmBook | null;
  training: () => readonly TrainingState[];
  /** Compressed recording bytes committed so far by kind (a running total), or null: not recording. */
  recordingBytes: () => Readonly<Record<RecordedKind, number>> | null;
}

/** Audit actions are code-defined names (`command:stop`, `alarm:ack`); anything else is 'other'. */
const ACTION_NAME = /^[a-z][a-z0-9:_-]{0,47}$/;
/** Refusal codes are code-defined too (`CONFIRMATION_REQUIRED`). */
const CODE_NAME = /^[A-Z][A-Z0-9_]{0,47}$/;

/**
 * The metrics of one app in a registry of its own (tests build several apps in one process; the
 * global default registry would mix them). Counters are fed by the app as things happen; gauges
 * are read from their sources when Prometheus scrapes.
 */
export class AppMetrics {
  readonly registry = new Registry();
  private readonly tickDuration: Histogram;
  private readonly stepsPerTick: Histogram;
  private readonly framesSent: Counter;
  private readonly frameBytesSent: Counter;
  private readonly transitions: Counter<'to' | 'priority'>;
  private readonly requests: Counter<'action' | 'result' | 'code'>;
  private readonly failedLogins: Counter<'reason'>;
  private readonly recordedSeen: Record<RecordedKind, number> = { live: 0, training: 0 };

  constructor(sources: MetricSources) {
    // Made now, not at the first scrape: the event-loop monitor then covers the time before it.
    processRegistry();
    const registers = [this.registry];
    const p = METRIC_PREFIX;
    this.tickDuration = new Histogram({
      name: `${p}tick_duration_seconds`,
      help: 'Wall time of one loop tick (live plant and training sessions: step, record, broadcast), seconds.',
      buckets: TICK_BUCKETS_S,
      registers,
    });
    this.stepsPerTick = new Histogram({
      name: `${p}sim_steps_per_tick`,
      help: 'Fixed simulation steps the live plant took in one loop tick (the sum is all steps taken).',
      buckets: STEP_BUCKETS,
      registers,
    });
    this.framesSent = new Counter({
      name: `${p}frames_sent_total`,
      help: 'Telemetry frames sent, counted once per receiving socket (live plant and training rooms).',
      registers,
    });
    this.frameBytesSent = new Counter({
      name: `${p}frame_bytes_sent_total`,
      help: 'Bytes of telemetry frames sent, counted once per receiving socket (payload, before framing).',
      registers,
    });
    this.transitions = new Counter({
      name: `${p}alarm_transitions_total`,
      help: "Live plant alarm transitions by the state entered and the alarm's priority.",
      labelNames: ['to', 'priority'],
      registers,
    });
    this.requests = new Counter({
      name: `${p}commands_total`,
      help: 'Audited user requests (equipment commands, alarm actions, training, bookmarks) by action and result.',
      labelNames: ['action', 'result', 'code'],
      registers,
    });
    this.failedLogins = new Counter({
      name: `${p}failed_logins_total`,
      help: 'Refused logins by reason: wrong_credentials, throttled (too many failures), malformed.',
      labelNames: ['reason'],
      registers,
    });
    for (const reason of ['wrong_credentials', 'throttled', 'malformed'] as const)
      this.failedLogins.inc({ reason }, 0);
    const recorded = new Counter({
      name: `${p}recording_bytes_written_total`,
      help: 'Compressed recording bytes committed to the database, by kind (live, training).',
      labelNames: ['kind'],
      registers,
      collect: () => {
        const now = sources.recordingBytes();
        if (!now) return;
        for (const kind of ['live', 'training'] as const) {
          // The source is a running total; a counter only moves up (a dip while a recording
          // closes is waited out, not subtracted).
          const delta = now[kind] - this.recordedSeen[kind];
          if (delta > 0) {
            recorded.inc({ kind }, delta);
            this.recordedSeen[kind] = now[kind];
          }
        }
      },
    });
    recorded.inc({ kind: 'live' }, 0);
    recorded.inc({ kind: 'training' }, 0);
    const sockets = new Gauge({
      name: `${p}sockets_connected`,
      help: 'Connected Socket.IO clients by role and screen (the screen the client names; unknown otherwise).',
      labelNames: ['role', 'screen'],
      registers,
      collect: () => {
        sockets.reset();
        for (const role of ROLES)
          for (const screen of [...SCREENS, 'unknown']) sockets.set({ role, screen }, 0);
        const io = sources.io();
        if (!io) return;
        for (const s of io.of('/').sockets.values()) {
          const role = s.data.role;
          if (!ROLES.includes(role)) continue;
          const auth = s.handshake.auth as { screen?: unknown } | undefined;
          sockets.inc({ role, screen: screenOf(auth?.screen) });
        }
      },
    });
    const alarms = new Gauge({
      name: `${p}alarms`,
      help: 'Live plant alarms that are not normal, by state and priority.',
      labelNames: ['state', 'priority'],
      registers,
      collect: () => {
        alarms.reset();
        for (const state of ALARM_STATES)
          if (state !== 'normal') for (const priority of ALARM_PRIORITIES) alarms.set({ state, priority }, 0);
        for (const a of sources.alarms()?.current() ?? [])
          alarms.inc({ state: a.state, priority: a.priority });
      },
    });
    const training = new Gauge({
      name: `${p}training_sessions`,
      help: 'Training sessions by state: running (the clock advances), paused (created or paused), finished.',
      labelNames: ['state'],
      registers,
      collect: () => {
        const n = { running: 0, paused: 0, finished: 0 };
        for (const t of sources.training()) n[t.running ? 'running' : t.finished ? 'finished' : 'paused']++;
        for (const [state, v] of Object.entries(n)) training.set({ state }, v);
      },
    });
  }

  /** Starts timing one loop tick; call the result when the tick is done. */
  startTick(): () => void {
    const end = this.tickDuration.startTimer();
    return () => {
      end();
    };
  }

  /** What one live plant tick produced: its steps and alarm transitions. */
  liveTick(out: { steps: number; alarms: readonly AlarmTransition[] }): void {
    this.stepsPerTick.observe(out.steps);
    this.alarmTransitions(out.alarms);
  }

  /** Live plant alarm transitions (a tick's, or those a user's request caused between ticks). */
  alarmTransitions(ts: readonly AlarmTransition[]): void {
    for (const t of ts) this.transitions.inc({ to: t.to, priority: t.alarm.priority });
  }

  /** Counts the telemetry frames a socket is sent (broadcasts included: one per recipient). */
  watchSocket(socket: TwinSocket): void {
    socket.onAnyOutgoing((event: string, payload: unknown) => {
      if (event !== 'telemetry:frame') return;
      this.framesSent.inc();
      if (payload instanceof ArrayBuffer || ArrayBuffer.isView(payload))
        this.frameBytesSent.inc(payload.byteLength);
    });
  }

  /** An audited request finished (`action` as audited, e.g. `command:stop`). */
  request(action: string, result: RequestResult, code?: string | null): void {
    this.requests.inc({
      action: ACTION_NAME.test(action) ? action : 'other',
      result,
      code: result === 'ok' || !code ? '' : CODE_NAME.test(code) ? code : 'OTHER',
    });
  }

  /** A login was refused. */
  failedLogin(reason: FailedLoginReason): void {
    this.failedLogins.inc({ reason });
  }

  /** The Prometheus text exposition: the app's metrics, then the process's. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    const merged = Registry.merge([this.registry, processRegistry()]);
    return { contentType: merged.contentType, body: await merged.metrics() };
  }
}
