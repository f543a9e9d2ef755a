import {
  CONFIRMATION_TTL_MS,
  type CommandAction,
  type EquipmentCommandRequest,
  type Refusal,
} from '../../../protocol';
import type { CommandResult } from '../../net/commandActions';
import { confirmDeadline } from '../countdown';

/**
 * idle; sending a request; confirm: the server asked for a second, deliberate confirmation of
 * `req` (valid until `deadline`, ms since epoch); done: the last answer (shown briefly);
 * expired: a confirmation ran out unanswered.
 */
export type CommandFlowState =
  | { phase: 'idle' }
  | { phase: 'sending'; req: EquipmentCommandRequest }
  | { phase: 'confirm'; req: EquipmentCommandRequest; confirmation: string; deadline: number }
  | { phase: 'done'; req: EquipmentCommandRequest; result: CommandResult }
  | { phase: 'expired'; req: EquipmentCommandRequest };

/** What the flow needs (injected: tests drive it with fakes and a manual clock). */
export interface CommandFlowDeps {
  send: (req: EquipmentCommandRequest) => Promise<CommandResult>;
  newId: () => string;
  /** Wall clock, ms since epoch. */
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/** One inspector's commands: at most one in progress or awaiting confirmation. */
export interface CommandFlow {
  getState(): CommandFlowState;
  subscribe(listener: () => void): () => void;
  /** Sends a new command (fresh id). Replaces anything pending: a safety stop must never wait. */
  send(equipmentId: string, action: CommandAction, params?: EquipmentCommandRequest['params']): Promise<void>;
  /** Re-sends the pending command — same id — with the server's confirmation. */
  confirm(): Promise<void>;
  /** Drops the pending confirmation or the shown outcome. */
  dismiss(): void;
  dispose(): void;
}

/** How long an outcome stays shown, ms. */
export const OUTCOME_SHOW_MS = 8000;

/** Creates the command flow of one inspector. */
export function createCommandFlow(deps: CommandFlowDeps): CommandFlow {
  const now = deps.now ?? Date.now;
  const setTimer = deps.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const clearTimer = deps.clearTimer ?? ((h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>));
  let state: CommandFlowState = { phase: 'idle' };
  const listeners = new Set<() => void>();
  let timer: unknown = null;
  /** Bumped by every new step; a late answer to a superseded request changes nothing. */
  let generation = 0;
  let disposed = false;

  function set(next: CommandFlowState, clearAfterMs?: number): void {
    if (disposed) return;
    if (timer !== null) clearTimer(timer);
    timer = null;
    state = next;
    if (clearAfterMs !== undefined) {
      const gen = generation;
      timer = setTimer(() => {
        timer = null;
        if (gen !== generation) return;
        if (state.phase === 'confirm') set({ phase: 'expired', req: state.req }, OUTCOME_SHOW_MS);
        else set({ phase: 'idle' });
      }, clearAfterMs);
    }
    for (const l of listeners) l();
  }

  async function run(req: EquipmentCommandRequest): Promise<void> {
    const gen = ++generation;
    set({ phase: 'sending', req });
    const result = await deps.send(req);
    if (gen !== generation) return;
    const asked = !result.ok && result.code === 'CONFIRMATION_REQUIRED' ? (result as Refusal) : null;
    // Asked again for a confirmation we just sent: shown as the refusal it is, not as a loop.
    if (asked?.confirmation && !req.confirmation) {
      const deadline = confirmDeadline(now(), asked.confirmationExpiresAt, CONFIRMATION_TTL_MS);
      set(
        { phase: 'confirm', req, confirmation: asked.confirmation, deadline },
        Math.max(0, deadline - now()),
      );
      return;
    }
    set({ phase: 'done', req, result }, OUTCOME_SHOW_MS);
  }

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    send(equipmentId, action, params) {
      const req: EquipmentCommandRequest = { commandId: deps.newId(), equipmentId, action };
      if (params) req.params = params;
      return run(req);
    },
    confirm() {
      if (state.phase !== 'confirm') return Promise.resolve();
      return run({ ...state.req, confirmation: state.confirmation });
    },
    dismiss() {
      generation++;
      set({ phase: 'idle' });
    },
    dispose() {
      if (timer !== null) clearTimer(timer);
      disposed = true;
      listeners.clear();
    },
  };
}
