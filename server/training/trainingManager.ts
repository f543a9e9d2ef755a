import { randomBytes, randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import {
  type ErrorCode,
  type ScenarioSummary,
  TRAINING_CODE_ALPHABET,
  TRAINING_CODE_LENGTH,
  type TrainingState,
} from '../../protocol';
import type { EnText } from '../../protocol/textEn';
import type { Recordings } from '../recordings';
import { type ScenarioLibrary, summaries } from '../scenarios/loadScenario';
import type { TwinServer } from '../transport/types';
import { TrainingSession } from './trainingSession';

/** Training sessions that may run at once (each is a whole plant ticking in the one loop). */
export const DEFAULT_MAX_SESSIONS = 8;

/** How the manager is built. */
export interface TrainingManagerOptions {
  library: ScenarioLibrary;
  /** Alarm rules file the sessions' alarms use (default: the shipped rules). */
  rulesPath?: string;
  maxSessions?: number;
  /** Wall clock, ms since epoch. */
  now: () => number;
  /** The Socket.IO server, once there is one. */
  io: () => TwinServer | null;
  logger?: Logger;
  /** Where every run of every session is recorded (null or absent: not recorded). */
  recordings?: Recordings | null;
}

/** What a trainer asks for. */
export interface NewSession {
  scenario: string;
  seed?: number;
  speed?: number;
  /** The trainer creating it. */
  user: string;
}

export type CreateResult =
  | { ok: true; session: TrainingSession }
  | { ok: false; code: ErrorCode; message: string };

/**
 * The training sessions of this server: creates them from the scenario library (each with an id
 * and a short join code), finds them by id or code, ticks the running ones with the one loop and
 * ends them. Sessions live in memory: a server restart ends them all.
 */
export class TrainingManager {
  private readonly sessions = new Map<string, TrainingSession>();
  private readonly byCode = new Map<string, TrainingSession>();
  readonly maxSessions: number;

  constructor(private readonly opts: TrainingManagerOptions) {
    this.maxSessions = opts.maxSessions ?? DEFAULT_MAX_SESSIONS;
  }

  /** The scenario catalog. */
  scenarios(): ScenarioSummary[] {
    return summaries(this.opts.library);
  }

  /** A new paused session at t = 0, or NOT_FOUND (scenario) / CONFLICT (too many sessions). */
  create(req: NewSession): CreateResult {
    const loaded = this.opts.library.scenarios.get(req.scenario);
    if (!loaded) return { ok: false, code: 'NOT_FOUND', message: `no scenario "${req.scenario}"` };
    if (this.sessions.size >= this.maxSessions)
      return {
        ok: false,
        code: 'CONFLICT',
        message: `${this.maxSessions} training sessions are running already: end one first`,
      };
    let id: string;
    do id = randomBytes(8).toString('hex');
    while (this.sessions.has(id));
    let code: string;
    do code = newCode();
    while (this.byCode.has(code));
    const session = new TrainingSession({
      id,
      code,
      scenario: loaded.scenario,
      layout: loaded.layout,
      seed: req.seed ?? loaded.scenario.seed,
      speed: req.speed ?? loaded.scenario.speed,
      createdBy: req.user,
      createdAt: this.opts.now(),
      rulesPath: this.opts.rulesPath,
      now: this.opts.now,
      io: this.opts.io,
      recordings: this.opts.recordings ?? null,
    });
    this.sessions.set(id, session);
    this.byCode.set(code, session);
    return { ok: true, session };
  }

  /** The session with this id or join code (any case), if it runs. */
  find(idOrCode: string): TrainingSession | undefined {
    return this.sessions.get(idOrCode) ?? this.byCode.get(idOrCode.toUpperCase());
  }

  /** Every session's state, oldest first. */
  list(): TrainingState[] {
    return [...this.sessions.values()].map((s) => s.state());
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Ends a session (its sockets are told and closed); false when there is none. */
  end(idOrCode: string, why: EnText): boolean {
    const s = this.find(idOrCode);
    if (!s) return false;
    this.sessions.delete(s.id);
    this.byCode.delete(s.code);
    s.end(why);
    return true;
  }

  /** Ends every session (server shutdown); resolves once their recordings are committed. */
  endAll(why: EnText): Promise<void> {
    const all = [...this.sessions.values()];
    for (const s of all) this.end(s.id, why);
    return Promise.all(all.map((s) => s.closed())).then(() => undefined);
  }

  /** One loop tick for every running session; a failing one is logged and the others go on. */
  tick(elapsedS: number): void {
    for (const s of this.sessions.values()) {
      try {
        s.tick(elapsedS);
      } catch (err) {
        this.opts.logger?.error({ err, session: s.id }, 'training tick failed');
      }
    }
  }
}

/** A random join code from the unambiguous alphabet. */
function newCode(): string {
  let c = '';
  for (let i = 0; i < TRAINING_CODE_LENGTH; i++)
    c += TRAINING_CODE_ALPHABET[randomInt(TRAINING_CODE_ALPHABET.length)];
  return c;
}
