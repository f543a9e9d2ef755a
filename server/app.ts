import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import { DESIGN_UPDATE_RATE, type Layout, MAX_DESIGN_UPDATE_BYTES, TICK_HZ } from '../protocol';
import { enText } from '../protocol/textEn';
import { RateLimiter } from './auth/rateLimiter';
import type { AuthService } from './auth/types';
import { DesignCollab } from './design/collabDocs';
import { LivePublish } from './design/livePublish';
import { WhatIfService } from './design/whatIfService';
import { createHttpHandler, type Middleware } from './http/httpHandler';
import { createMetricsRoute } from './http/metricsRoute';
import { securityHeaders } from './http/securityHeaders';
import { createHttpServer, type TlsFiles } from './http/tls';
import type { Ingest } from './ingest/ingest';
import { type Loop, startLoop, wallClockMs } from './loop';
import { AppMetrics } from './metrics/appMetrics';
import { registerIngestMetrics } from './metrics/ingestMetrics';
import { meteredAuth } from './metrics/meteredAuth';
import type { ModelStore } from './models/modelStore';
import { type RecordingDeps, Recordings, type RunRecording } from './recordings';
import type { ScenarioLibrary } from './scenarios/loadScenario';
import { LivePlantHolder } from './session/livePlant';
import type { PlantSession } from './session/plantSession';
import type { DesignStore } from './store/designStore';
import type { PublishStore } from './store/publishStore';
import { TrainingManager } from './training/trainingManager';
import { attachAlarmSocket } from './transport/alarmHandlers';
import { attachCommandSocket } from './transport/commandHandlers';
import { Confirmations } from './transport/confirmations';
import { attachDesignSocket, collabOutlet } from './transport/designCollabHandlers';
import { handshakeGuard, type SecurityOptions } from './transport/handshake';
import { attachPlantSocket, broadcastTick, LIVE_ROOM } from './transport/plantHandlers';
import { liveHost, type PlantHost } from './transport/plantHost';
import { attachReplaySocket } from './transport/replayHandlers';
import { type SessionWatch, startSessionWatch } from './transport/sessionWatch';
import { attachTrainingSocket } from './transport/trainingHandlers';
import type { TwinServer, TwinSocket } from './transport/types';

export type { SecurityOptions };

/** Largest inbound Socket.IO message, bytes; anything bigger closes that connection only. */
export const MAX_INBOUND_BYTES = MAX_DESIGN_UPDATE_BYTES + 4 * 1024;
/** Default per-user request rate over every client event: 10 requests/s, bursts of 20. */
export const DEFAULT_REQUEST_RATE = { perS: 10, burst: 20 } as const;

export interface AppDeps {
  /** The live plant at start (a publish replaces it: see TwinApp.live). */
  session: PlantSession;
  logger: Logger;
  /** Built client directory to serve, or null. */
  clientDir: string | null;
  /** Vite middleware for --dev. */
  dev?: Middleware;
  /** Wall clock, ms since epoch (default: the loop's); tests may pass their own. */
  now?: () => number;
  /** Users, sessions and the audit trail (opened and closed by the caller). */
  auth: AuthService;
  /** Who may connect and how fast they may ask. */
  security: SecurityOptions;
  /** Training scenarios (validated at start); absent: none, and no training sessions. */
  scenarios?: ScenarioLibrary;
  /** Alarm rules file training sessions use (default: the shipped rules; main passes --alarms). */
  rulesPath?: string;
  /**
   * Record and replay (a recordings store, opened and closed by the caller): the live plant unless
   * `live: false`, every training session run. Absent: nothing is recorded and the replay routes
   * and events answer NOT_FOUND.
   */
  recording?: RecordingDeps;
  /** Bearer token for `GET /metrics` besides admins' sessions (`--metrics-token`); absent: admins only. */
  metricsToken?: string | null;
  /** Serve HTTPS with this certificate and key (`--tls-cert`/`--tls-key`); absent: plain HTTP. */
  tls?: TlsFiles | null;
  /** Origins that may embed the pages in a frame (`--frame-ancestors`); absent or empty: none. */
  frameAncestors?: readonly string[];
  /**
   * Real equipment (`--sources`): already the session's overlay; the app connects its sources when
   * it listens and disconnects them on close. Absent: everything is simulated.
   */
  ingest?: Ingest | null;
  /**
   * Design drafts and versions (a design store, opened and closed by the caller); drafts are copies
   * and never change the running plant. Absent: the design routes answer 404.
   */
  designs?: DesignStore | null;
  /** Uploaded plant models (files in the data directory). Absent: the model routes answer 404. */
  models?: ModelStore | null;
  /**
   * Publishing design versions to the live plant (needs `designs`): where publications are kept,
   * the plant file the server started from (the "base" entry, a rollback target) and which
   * publication `session` runs (null: the plant file). Absent: the publish routes answer 404.
   */
  publish?: {
    publications: PublishStore;
    base: { layout: Layout; path: string };
    liveSeq: number | null;
  } | null;
}

export interface AppOptions {
  /** Telemetry ticks per second (default TICK_HZ). */
  tickHz?: number;
  /** Training sessions that may run at once (default 8). */
  maxTrainingSessions?: number;
}

export interface TwinApp {
  readonly httpServer: HttpServer;
  readonly io: TwinServer;
  /** The training sessions (isolated plants in rooms of their own). */
  readonly training: TrainingManager;
  /** Recordings (null: the app records nothing). */
  readonly recordings: Recordings | null;
  /** The live plant now (replaced by a publish or a rollback). */
  readonly live: LivePlantHolder;
  /** Publishing to the live plant (null: not offered). */
  readonly publish: LivePublish | null;
  /** The live plant's recording now (null: not recorded, or not listening yet). */
  readonly liveRecordingId: string | null;
  /** Drafts being edited live (null: no design store). */
  readonly designCollab: DesignCollab | null;
  /** Listens (0 = any free port), starts the clock; resolves to the bound port. */
  listen(port: number, host?: string): Promise<number>;
  /** Stops the clock, ends training sessions, closes recordings (committing them), disconnects clients, closes the server. */
  close(): Promise<void>;
}

/**
 * Builds the server without starting it (DESIGN principle 4): tests start it on port 0 and talk
 * to it with a real socket.io-client; main.ts only wires config to it and listens.
 */
export function createApp(deps: AppDeps, options: AppOptions = {}): TwinApp {
  const { logger } = deps;
  // Never keep the session itself: a publish replaces it between two ticks.
  const holder = new LivePlantHolder(deps.session);
  const now = deps.now ?? wallClockMs;
  const startedAt = process.uptime();
  let io: TwinServer | null = null;
  const recordings = deps.recording ? new Recordings(deps.recording, now, logger) : null;
  let liveRecording: RunRecording | null = null;
  // What-if runs of design drafts, in a worker thread (one at a time); stopped on close.
  const whatIf = deps.designs ? new WhatIfService() : null;
  // Drafts being edited live (one Y.Doc per open draft), written back to the design store.
  const collab = deps.designs
    ? new DesignCollab(
        deps.designs,
        collabOutlet(() => io),
        now,
        logger,
      )
    : null;
  const training = new TrainingManager({
    recordings,
    library: deps.scenarios ?? { scenarios: new Map(), errors: [] },
    rulesPath: deps.rulesPath,
    maxSessions: options.maxTrainingSessions,
    now,
    io: () => io,
    logger,
  });
  // Monitoring: the app's own registry; the auth service the app uses counts refused logins and
  // audited requests (its audit) on the way through.
  const metrics = new AppMetrics({
    io: () => io,
    alarms: () => holder.session.alarms,
    training: () => training.list(),
    recordingBytes: () => recordings?.bytesWritten() ?? null,
  });
  if (deps.ingest) registerIngestMetrics(metrics.registry, deps.ingest);
  const auth = meteredAuth(deps.auth, metrics);
  const publish =
    deps.publish && deps.designs
      ? new LivePublish({
          holder,
          designs: deps.designs,
          publications: deps.publish.publications,
          base: deps.publish.base,
          liveSeq: deps.publish.liveSeq,
          startedAt: now(),
          now,
          refuse: deps.ingest
            ? 'the live plant is fed by real sources (--sources): publish by restarting with a plant file that fits them'
            : null,
        })
      : null;
  const headers = securityHeaders({
    allowOrigins: deps.security.allowOrigins,
    frameAncestors: deps.frameAncestors,
    tls: !!deps.tls,
    dev: !!deps.dev,
  });
  const httpServer = createHttpServer(
    deps.tls,
    createHttpHandler({
      headers,
      clientDir: deps.clientDir,
      dev: deps.dev,
      alarms: () => holder.session.alarms,
      auth,
      now,
      training,
      recordings,
      health: () => ({
        status: 'ok',
        equipment: holder.session.world.equipment.length,
        clients: io?.engine.clientsCount ?? 0,
        uptimeS: Math.round(process.uptime() - startedAt),
      }),
      metrics: createMetricsRoute({ metrics, auth, token: deps.metricsToken ?? null, logger }),
      plant: {
        get world() {
          return holder.session.world;
        },
        wallMs: () => holder.session.nowMs,
        ingest: deps.ingest ?? null,
      },
      design: deps.designs
        ? {
            store: deps.designs,
            live: () => holder.session.layout,
            whatIf,
            liveSeed: () => holder.session.world.seed,
            scenarios: deps.scenarios?.scenarios,
            collab,
          }
        : null,
      models: deps.models ?? null,
      publish,
    }),
  );
  io = new Server(httpServer, { maxHttpBufferSize: MAX_INBOUND_BYTES, serveClient: false });
  // Socket.IO answers /socket.io/ itself (polling and the WebSocket upgrade): the same headers there.
  io.engine.on('headers', (h: Record<string, string>) => Object.assign(h, headers));
  const server = io;
  const { security } = deps;
  const rate = security.requestRate ?? DEFAULT_REQUEST_RATE;
  // One limiter and one confirmation store for the whole app: limits hold across a user's sockets.
  const guard = { auth, limiter: new RateLimiter(rate.perS, rate.burst, now), log: logger };
  const handlerDeps = { ...guard, audit: auth.audit, now };
  // Live design edits: a drag sends many updates, so they have a per-socket rate of their own.
  const designLimiter = new RateLimiter(DESIGN_UPDATE_RATE.perS, DESIGN_UPDATE_RATE.burst, now);
  const confirmations = new Confirmations(now);
  // The live plant's alarm transitions made between ticks (users' ack/shelve/out of service) reach
  // its recording through the host, like a training session's reach its own.
  const live = liveHost(holder, now, (ts) => {
    liveRecording?.onAlarms(ts);
    metrics.alarmTransitions(ts);
  });
  // Every socket is authenticated here, before 'connection': only those join a plant's room.
  server.use(handshakeGuard(auth, security, now, logger, (key) => training.find(key)?.id ?? null));
  server.on('connection', (socket: TwinSocket) => {
    try {
      metrics.watchSocket(socket);
      const hs = socket.handshake.auth as { replay?: unknown; design?: unknown } | undefined;
      if (hs?.design === true) {
        // A design page's socket: live editing of drafts only, no plant room.
        attachDesignSocket(socket, collab, guard, designLimiter);
        return;
      }
      if (hs?.replay === true) {
        // The replay view's socket: no plant room, no live frames it would only throw away.
        attachReplaySocket(socket, recordings, guard, holder.session.alarms?.templates);
        return;
      }
      const id = socket.data.trainingId;
      const trainingSession = id ? (training.find(id) ?? null) : null;
      if (id && !trainingSession) {
        // Ended between the handshake and now.
        socket.emit('training:ended', { id, message: 'the training session has ended' });
        socket.disconnect(true);
        return;
      }
      const host: PlantHost = trainingSession ?? live;
      attachPlantSocket(socket, host, guard);
      if (host.plant().alarms) attachAlarmSocket(socket, host, handlerDeps);
      attachCommandSocket(socket, host, { ...handlerDeps, confirmations });
      attachTrainingSocket(socket, trainingSession, handlerDeps);
      attachReplaySocket(socket, recordings, guard, holder.session.alarms?.templates);
      if (trainingSession) {
        trainingSession.join(socket);
        socket.on('disconnect', () => trainingSession.leave(socket));
      }
    } catch (err) {
      logger.error({ err }, 'could not attach socket');
      socket.disconnect(true);
    }
  });

  const recordLive = (session: PlantSession): RunRecording | null =>
    recordings?.record(session, { kind: 'live', sessionId: 'live', seed: session.world.seed }) ?? null;
  // A publish or rollback switched the live plant: clients in the live room take the new snapshot
  // (they rebuild the scene and stream on, no reconnect), the recording of the old layout ends
  // with the alarms the switch ended, and a new one starts on the new layout.
  holder.onSwitch((next, _prev, ended) => {
    metrics.alarmTransitions(ended);
    if (liveRecording) {
      const old = liveRecording;
      old.onAlarms(ended);
      liveRecording = recordLive(next);
      old.close().catch((err) => logger.error({ err }, 'could not close the live recording'));
    }
    server.to(LIVE_ROOM).emit('plant:snapshot', next.snapshot());
    logger.info(
      { equipment: next.layout.equipment.length, ended: ended.length },
      'live plant layout switched',
    );
  });

  let loop: Loop | null = null;
  let watch: SessionWatch | null = null;
  const tick = (elapsedS: number, wallMs: number) => {
    const tickDone = metrics.startTick();
    try {
      const session = holder.session;
      const out = session.advance(elapsedS, deps.now ? deps.now() : wallMs);
      // Recorded before it is sent (the recorder copies the frame; it never changes what is sent).
      liveRecording?.onTick(out, session);
      broadcastTick(server, out);
      metrics.liveTick(out);
    } catch (err) {
      // A bug in one tick must not stop the plant; it is logged and the next tick runs.
      logger.error({ err }, 'tick failed');
    }
    // Training sessions tick after the live plant, each in its own room (failures logged per session).
    training.tick(elapsedS);
    tickDone();
  };

  return {
    httpServer,
    io: server,
    training,
    recordings,
    live: holder,
    publish,
    designCollab: collab,
    get liveRecordingId() {
      return liveRecording?.id ?? null;
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          if (recordings) {
            try {
              recordings.start();
            } catch (err) {
              logger.error({ err }, 'could not clean up old recordings');
            }
            if (recordings.recordsLive && !liveRecording) liveRecording = recordLive(holder.session);
          }
          deps.ingest?.start();
          loop = startLoop(options.tickHz ?? TICK_HZ, tick);
          watch = startSessionWatch(server, auth, logger);
          resolve((httpServer.address() as AddressInfo).port);
        });
      });
    },
    async close() {
      loop?.stop();
      loop = null;
      whatIf?.close();
      collab?.close();
      await deps.ingest?.stop();
      watch?.stop();
      watch = null;
      const ended = training.endAll(enText('training.serverShutdown'));
      const closed = new Promise<void>((resolve) => {
        server.close(() => resolve());
      });
      await ended;
      await liveRecording?.close();
      liveRecording = null;
      await recordings?.close();
      await closed;
    },
  };
}
