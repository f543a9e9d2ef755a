import { randomBytes } from 'node:crypto';
import { CONFIRMATION_TTL_MS } from '../../protocol';

/** What a confirmation is bound to: it confirms exactly this request of exactly this user. */
export interface ConfirmationBinding {
  /** The plant it was asked in ('live' or a training session id; absent: 'live'). */
  scope?: string;
  user: string;
  equipmentId: string;
  action: string;
  /** The go-to node, or null for actions without parameters. */
  node: string | null;
}

/** A confirmation handed out: the token and when it expires (ms since epoch). */
export interface IssuedConfirmation {
  token: string;
  expiresAt: number;
}

/** Why a confirmation could not be used (nothing was consumed). */
export type ConfirmationCheck = { ok: true } | { ok: false; message: string };

interface Pending extends ConfirmationBinding {
  expiresAt: number;
  used: boolean;
  /** The command id it was issued for, so a retry of that id gets the same token. */
  commandId: string;
}

/** Random bytes per token (144 bits; base64url gives 24 characters). */
const TOKEN_BYTES = 18;
/** Most confirmations remembered at once; the rate limit keeps real use far below this. */
const MAX_PENDING = 10_000;

/**
 * Single-use confirmations of deliberate commands (start, reset, go-to, launch-patrol), in memory:
 * a restart forgets them, which only means the operator is asked again. The clock is passed in (ms
 * since epoch) so tests can let a confirmation expire.
 */
export class Confirmations {
  private readonly byToken = new Map<string, Pending>();
  /** `user \n commandId` -> token of the pending confirmation issued for that command. */
  private readonly byCommand = new Map<string, string>();

  constructor(
    private readonly now: () => number,
    /** How long a confirmation stays valid, ms. */
    private readonly ttlMs = CONFIRMATION_TTL_MS,
  ) {}

  /**
   * A confirmation for this request. The same user asking again with the same command id while
   * one bound to the same request is pending gets that same token (a retried first click).
   */
  issue(binding: ConfirmationBinding, commandId: string): IssuedConfirmation {
    const t = this.now();
    const key = `${binding.user}\n${commandId}`;
    const prior = this.byCommand.get(key);
    const p = prior === undefined ? undefined : this.byToken.get(prior);
    if (p && prior && !p.used && p.expiresAt > t && sameBinding(p, binding)) {
      return { token: prior, expiresAt: p.expiresAt };
    }
    if (this.byToken.size >= MAX_PENDING) this.prune(t);
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    const expiresAt = t + this.ttlMs;
    this.byToken.set(token, { ...binding, expiresAt, used: false, commandId });
    this.byCommand.set(key, token);
    return { token, expiresAt };
  }

  /**
   * Uses `token` for this request: consumed only when it is known, unexpired, unused and bound to
   * exactly this user, equipment, action and parameters; otherwise says which of these failed.
   */
  consume(token: string, binding: ConfirmationBinding): ConfirmationCheck {
    const p = this.byToken.get(token);
    if (!p) return { ok: false, message: 'unknown confirmation: ask for a new one' };
    if (p.user !== binding.user) return { ok: false, message: 'this confirmation belongs to another user' };
    if ((p.scope ?? 'live') !== (binding.scope ?? 'live'))
      return { ok: false, message: 'this confirmation was asked for in another plant or training session' };
    if (p.used) return { ok: false, message: 'this confirmation was already used' };
    if (p.expiresAt <= this.now())
      return { ok: false, message: 'this confirmation expired: ask for a new one' };
    if (p.equipmentId !== binding.equipmentId)
      return { ok: false, message: `this confirmation is for ${p.equipmentId}, not ${binding.equipmentId}` };
    if (p.action !== binding.action)
      return { ok: false, message: `this confirmation is for ${p.action}, not ${binding.action}` };
    if (p.node !== binding.node)
      return {
        ok: false,
        message: `this confirmation is for node ${p.node ?? 'none'}, not ${binding.node ?? 'none'}`,
      };
    p.used = true;
    return { ok: true };
  }

  /** Forgets expired confirmations (used ones are kept until they expire, to say "already used"). */
  private prune(t: number): void {
    for (const [token, p] of this.byToken) {
      if (p.expiresAt > t) continue;
      this.byToken.delete(token);
      const key = `${p.user}\n${p.commandId}`;
      if (this.byCommand.get(key) === token) this.byCommand.delete(key);
    }
    // Still full of live ones: drop the oldest (Map keeps insertion order).
    for (const [token, p] of this.byToken) {
      if (this.byToken.size < MAX_PENDING) break;
      this.byToken.delete(token);
      this.byCommand.delete(`${p.user}\n${p.commandId}`);
    }
  }
}

function sameBinding(a: ConfirmationBinding, b: ConfirmationBinding): boolean {
  return (
    (a.scope ?? 'live') === (b.scope ?? 'live') &&
    a.user === b.user &&
    a.equipmentId === b.equipmentId &&
    a.action === b.action &&
    a.node === b.node
  );
}
