import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import {
  type ClientToServerEvents,
  FrameError,
  type HandshakeAuth,
  type KpiUpdate,
  type PlantEvent,
  type PlantSnapshot,
  PROTOCOL_VERSION,
  type ServerToClientEvents,
  type SessionEnded,
} from '../../protocol';
import { createAlarmSync } from '../state/alarmStore';
import { useConnectionStore } from '../state/connectionStore';
import { diagnostics } from '../state/diagnostics';
import { EVENT_HISTORY, usePlantStore } from '../state/plantStore';
import { TwinBuffer } from '../state/twinBuffer';
import { alarmsSince } from './alarmActions';
import { deriveStatus } from './connectionStatus';
import { appendEvent, classifyEvent } from './eventSequence';
import { type HandshakeRefusal, handshakeRefusal } from './handshakeRefusal';
import { setActionSocket } from './request';

/** The typed client socket (DESIGN principle 3: one event map, used by both ends). */
export type TwinSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How often the connection status is re-derived (catches a feed that went quiet), ms. */
export const STATUS_CHECK_MS = 500;
/** Wait for the server to acknowledge a resync request, ms. */
const RESYNC_TIMEOUT_MS = 5000;
/** At most one resync request per this interval, so a run of bad frames cannot flood the server, ms. */
const RESYNC_COOLDOWN_MS = 2000;
/** Socket.IO does not reconnect after a server-side disconnect; we retry after this delay, ms. */
const SERVER_DISCONNECT_RETRY_MS = 2000;

/** Options of connectTwin. */
export interface TwinConnectionOptions {
  /** Server URL; same origin when omitted (the server serves the client). */
  url?: string;
  /** Monotonic clock, ms (performance.now by default; replaceable for tests). */
  now?: () => number;
  /** Handshake credentials: the login token, or `{ showcase: true }` (sent on every reconnect). */
  auth?: HandshakeAuth;
  /** The server ended this login session ('session:ended'); the connection stops for good. */
  onSessionEnded?: (info: SessionEnded) => void;
  /** The handshake was refused (UNAUTHENTICATED / FORBIDDEN); the connection stops for good. */
  onRefused?: (refusal: HandshakeRefusal) => void;
}

/** A running connection to the plant server. */
export interface TwinConnection {
  readonly socket: TwinSocket;
  /** Malformed telemetry frames received (each one dropped whole). */
  readonly badFrames: number;
  /** Asks the server for a fresh snapshot (deduplicated and rate-limited). */
  resync(reason: string): void;
  /** Disconnects for good and stops the status timer. */
  close(): void;
}

/**
 * Connects to the plant server and keeps the client state in step with it: snapshots build a new
 * TwinBuffer, binary frames are decoded straight into it (never through React), KPIs and events
 * go to the plant store, and the connection store says whether what is on screen is live.
 * Reconnects automatically; the server sends a fresh snapshot on every (re)connection.
 */
export function connectTwin(options: TwinConnectionOptions = {}): TwinConnection {
  const now = options.now ?? (() => performance.now());
  const ioOptions: Partial<ManagerOptions & SocketOptions> = {
    // WebSocket only: no long-polling fallback, whose HTTP round trips would defeat 10 Hz frames.
    transports: ['websocket'],
    reconnection: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
    // Our own manager, so a second connectTwin (hot reload, tests) never shares a socket.
    forceNew: true,
    // In the handshake body, never the query string (which ends up in proxy and access logs).
    auth: options.auth ? { ...options.auth } : undefined,
  };
  const socket: TwinSocket = options.url ? io(options.url, ioOptions) : io(ioOptions);

  let everConnected = false;
  let everSynced = false;
  /** A snapshot arrived on the current connection. */
  let synced = false;
  let resyncPending = false;
  let lastResyncAt = Number.NEGATIVE_INFINITY;
  let badFrames = 0;
  let connectErrorLogged = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** The server ended the session or refused the credentials: never reconnect with them. */
  let ended = false;

  function refreshStatus(): void {
    const buffer = usePlantStore.getState().buffer;
    const status = deriveStatus({
      connected: socket.connected,
      everSynced,
      synced,
      stale: !buffer || buffer.isStale(now()),
    });
    // Only real changes reach React: the badge re-renders on a transition, never on the timer.
    if (useConnectionStore.getState().status !== status) useConnectionStore.setState({ status });
  }

  function resync(reason: string): void {
    const t = now();
    if (resyncPending || !socket.connected || t - lastResyncAt < RESYNC_COOLDOWN_MS) return;
    resyncPending = true;
    lastResyncAt = t;
    console.info(`plant twin: asking for a snapshot (${reason})`);
    socket.timeout(RESYNC_TIMEOUT_MS).emit('plant:resync', (err, result) => {
      // On success the snapshot follows and clears `resyncPending`; on failure, allow a retry.
      if (err) {
        resyncPending = false;
        console.warn('plant twin: resync request timed out');
      } else if (!result.ok) {
        resyncPending = false;
        console.warn(`plant twin: resync refused: ${result.code} ${result.message}`);
      }
    });
  }

  // Alarms: ordered by their own sequence number, caught up with alarm:since or a fresh snapshot.
  const alarmSync = createAlarmSync({ since: alarmsSince, resync: (reason) => resync(reason) });
  setActionSocket(socket);

  function onSnapshot(snapshot: PlantSnapshot): void {
    try {
      alarmSync.onSnapshot(snapshot.alarms ?? [], snapshot.alarmSeq ?? 0);
      if (snapshot.protocol !== PROTOCOL_VERSION)
        console.warn(`plant twin: server speaks protocol ${snapshot.protocol}, client ${PROTOCOL_VERSION}`);
      const buffer = new TwinBuffer(snapshot.plant);
      buffer.applyKeyframe(snapshot.keyframe, now());
      const prev = usePlantStore.getState();
      usePlantStore.setState({
        // Same plant after a reconnect: keep the layout object so layout-keyed views do not rebuild.
        layout: sameLayout(prev.layout, snapshot.plant) ? prev.layout : snapshot.plant,
        buffer,
        kpis: snapshot.kpis,
        events: snapshot.events.slice(-EVENT_HISTORY),
        seq: snapshot.seq,
        speed: snapshot.speed,
        snapshots: prev.snapshots + 1,
        alarmTemplates: snapshot.alarmTemplates ?? prev.alarmTemplates,
      });
      synced = true;
      everSynced = true;
      resyncPending = false;
    } catch (err) {
      // A snapshot we cannot use leaves the previous state on screen (shown stale, not live).
      console.error('plant twin: could not apply snapshot', err);
    }
    refreshStatus();
  }

  function onFrame(frame: ArrayBuffer): void {
    const buffer = usePlantStore.getState().buffer;
    if (!buffer) return;
    try {
      buffer.applyFrame(frame, now());
      diagnostics.telemetryFrames++;
    } catch (err) {
      badFrames++;
      if (badFrames === 1) console.warn('plant twin: dropped a malformed telemetry frame', err);
      // The frame no longer matches our layout (or is corrupt): take the server's truth again.
      resync(err instanceof FrameError ? err.message : 'frame could not be applied');
      return;
    }
    // Leave 'stale' as soon as data flows again, without waiting for the status timer.
    if (useConnectionStore.getState().status === 'stale') refreshStatus();
  }

  function onKpis(kpis: KpiUpdate): void {
    usePlantStore.setState({ kpis });
  }

  function onEvent(event: PlantEvent): void {
    // Before the first snapshot there is nothing to append to; the snapshot carries the events.
    if (!everSynced) return;
    const { seq, events } = usePlantStore.getState();
    const verdict = classifyEvent(seq, event.seq);
    if (verdict === 'old') return;
    usePlantStore.setState({ events: appendEvent(events, event, EVENT_HISTORY), seq: event.seq });
    if (verdict === 'gap') resync(`missed events ${seq + 1}..${event.seq - 1}`);
  }

  socket.on('connect', () => {
    if (everConnected) useConnectionStore.setState((s) => ({ reconnects: s.reconnects + 1 }));
    everConnected = true;
    connectErrorLogged = false;
    synced = false;
    refreshStatus();
  });
  socket.on('disconnect', (reason) => {
    synced = false;
    resyncPending = false;
    refreshStatus();
    if (reason === 'io server disconnect' && !ended) {
      // The server closed this socket deliberately (restart, eviction); come back after a pause.
      retryTimer = setTimeout(() => {
        retryTimer = null;
        socket.connect();
      }, SERVER_DISCONNECT_RETRY_MS);
    }
  });
  socket.on('connect_error', (err) => {
    const refusal = handshakeRefusal(err);
    if (refusal) {
      // A refused handshake is final for these credentials (Socket.IO does not retry it either).
      ended = true;
      console.warn(`plant twin: connection refused (${refusal.code}: ${refusal.message})`);
      options.onRefused?.(refusal);
      return;
    }
    if (!connectErrorLogged) console.warn(`plant twin: cannot reach the server (${err.message}); retrying`);
    connectErrorLogged = true;
    refreshStatus();
    // Any other refusal by the server's handshake (INTERNAL) is not retried by Socket.IO itself.
    if (!socket.active && retryTimer === null)
      retryTimer = setTimeout(() => {
        retryTimer = null;
        socket.connect();
      }, SERVER_DISCONNECT_RETRY_MS);
  });
  socket.on('plant:snapshot', onSnapshot);
  socket.on('telemetry:frame', onFrame);
  socket.on('kpi:update', onKpis);
  socket.on('plant:event', onEvent);
  socket.on('alarm:changed', (t) => alarmSync.onTransition(t));
  socket.on('session:ended', (info) => {
    // The server disconnects right after; no automatic retry with a token that is dead.
    ended = true;
    console.info(`plant twin: session ended (${info.reason})`);
    options.onSessionEnded?.(info);
  });

  const statusTimer = setInterval(refreshStatus, STATUS_CHECK_MS);

  return {
    socket,
    get badFrames() {
      return badFrames;
    },
    resync,
    close() {
      clearInterval(statusTimer);
      if (retryTimer !== null) clearTimeout(retryTimer);
      socket.removeAllListeners();
      socket.disconnect();
      setActionSocket(null);
    },
  };
}

function sameLayout(a: PlantSnapshot['plant'] | null, b: PlantSnapshot['plant']): boolean {
  // Once per snapshot (connect/resync), not per frame: a JSON comparison is affordable here.
  return a !== null && JSON.stringify(a) === JSON.stringify(b);
}
