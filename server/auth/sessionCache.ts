import type { AuthStore } from '../store/authStore';
import type { SessionState } from './types';

/** Least time between two looks at `PRAGMA data_version`, ms (revocations by the CLI show within it). */
export const REFRESH_MS = 200;

/**
 * Live sessions in memory, so that `sessionState` (every 250 ms for every socket) costs a map
 * lookup. This process's own changes call `invalidate`; another process's commits (the CLI) change
 * `PRAGMA data_version`, looked at no more than every REFRESH_MS of monotonic time (not the
 * injectable wall clock: a test's frozen clock must not freeze the cache).
 */
export class SessionCache {
  private live = new Map<string, number>();
  private version = -1;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private dirty = true;

  constructor(
    private readonly store: AuthStore,
    private readonly now: () => number,
  ) {}

  /** Forces a reload at the next lookup (after this process revoked or created a session). */
  invalidate(): void {
    this.dirty = true;
  }

  /** Adds a session this process just created. */
  add(sid: string, expiresAt: number): void {
    this.live.set(sid, expiresAt);
  }

  state(sid: string): SessionState {
    this.refresh();
    const expiresAt = this.live.get(sid);
    const t = this.now();
    if (expiresAt !== undefined) return expiresAt > t ? 'ok' : 'expired';
    // Not live when last loaded: read the row once to tell expiry from revocation.
    const row = this.store.getSession(sid);
    if (!row || row.revokedAt !== null) return 'revoked';
    if (row.expiresAt <= t) return 'expired';
    // Created by another connection after the last load.
    this.live.set(sid, row.expiresAt);
    return 'ok';
  }

  private refresh(): void {
    const mono = performance.now();
    if (!this.dirty && mono - this.checkedAt < REFRESH_MS) return;
    this.checkedAt = mono;
    const v = this.store.dataVersion();
    if (!this.dirty && v === this.version) return;
    this.version = v;
    this.dirty = false;
    const next = new Map<string, number>();
    for (const s of this.store.liveSessions(this.now())) next.set(s.sid, s.expiresAt);
    this.live = next;
  }
}
