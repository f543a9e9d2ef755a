import {
  type Refusal,
  type ScenarioAction,
  type TrainingControl,
  trainingControlSchema,
  trainingInjectSchema,
} from '../../protocol';
import type { AuditLog } from '../auth/types';
import { auditBase, audited, type GuardDeps, guardedOn, type ReplyOf, type RequestContext } from './guard';
import type { PlantHost } from './plantHost';
import type { TwinSocket } from './types';

/** A training session as the socket layer drives it. */
export interface TrainingHost extends PlantHost {
  /** Start, pause, resume, step, speed or restart; answers `{ ok: true, state }` or a refusal. */
  control(req: TrainingControl, ctx: RequestContext): ReplyOf<'training:control'>;
  /** Applies a hand-made fault or clear now; answers `{ ok: true, message, simTimeS }` or a refusal. */
  inject(action: ScenarioAction, ctx: RequestContext): ReplyOf<'training:inject'>;
}

/** What the training handlers need besides the pipeline's deps. */
export interface TrainingDeps extends GuardDeps {
  audit: AuditLog;
  /** Wall clock, ms since epoch. */
  now: () => number;
}

const notInSession = (): Refusal => ({
  ok: false,
  code: 'NOT_FOUND',
  message: 'this socket is not in a training session (connect with auth.session)',
});

/**
 * Wires the trainer's requests of one socket (training:run) to its training session: clock control
 * and hand injection, audited before they act. A socket on the live plant gets NOT_FOUND (after
 * the role check): nothing is ever injected into the live plant.
 */
export function attachTrainingSocket(
  socket: TwinSocket,
  host: TrainingHost | null,
  deps: TrainingDeps,
): void {
  const { audit, now } = deps;
  guardedOn(
    socket,
    'training:control',
    {
      permission: 'training:run',
      schema: trainingControlSchema,
      run: (r, ctx) => {
        if (!host) return notInSession();
        const params = { session: host.id, action: r.action, speed: r.speed ?? null };
        return audited(
          audit,
          { ...auditBase(ctx, now), action: 'training:control', target: host.id, params },
          () => host.control(r, ctx),
        );
      },
    },
    deps,
  );
  guardedOn(
    socket,
    'training:inject',
    {
      permission: 'training:run',
      schema: trainingInjectSchema,
      run: (r, ctx) => {
        if (!host) return notInSession();
        const action: ScenarioAction =
          'fault' in r
            ? { type: 'fault', fault: r.fault }
            : { type: 'clear', equipment: r.clear.equipment, kind: r.clear.kind };
        const tgt = 'fault' in r ? ('line' in r.fault ? r.fault.line : r.fault.equipment) : r.clear.equipment;
        const params = { session: host.id, ...('fault' in r ? { fault: r.fault } : { clear: r.clear }) };
        return audited(
          audit,
          { ...auditBase(ctx, now), action: 'training:inject', target: tgt, params },
          () => host.inject(action, ctx),
        );
      },
    },
    deps,
  );
}
