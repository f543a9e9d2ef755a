/** Whole seconds left until `deadline` (both ms on the same clock), rounded up; never below 0. */
export function secondsLeft(deadline: number, now: number): number {
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}

/**
 * When a server-issued confirmation lapses on the client's clock (ms since epoch). The server
 * says when (`expiresAt`, its wall clock); a client clock that disagrees by more than the TTL
 * (an unsynchronized PC) would show nonsense, so an answer outside (0, ttl] counts as the full TTL
 * from when it arrived.
 */
export function confirmDeadline(receivedAt: number, expiresAt: number | undefined, ttlMs: number): number {
  const left = expiresAt === undefined ? Number.NaN : expiresAt - receivedAt;
  return left > 0 && left <= ttlMs ? receivedAt + left : receivedAt + ttlMs;
}
