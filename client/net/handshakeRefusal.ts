/** A handshake the server refused, from a `connect_error`'s `err.data`. */
export interface HandshakeRefusal {
  code: 'UNAUTHENTICATED' | 'FORBIDDEN';
  message: string;
}

/**
 * The server's refusal carried by a Socket.IO `connect_error` (`err.data = { code, message }`), or
 * null when the error is a plain network failure (which Socket.IO retries by itself).
 */
export function handshakeRefusal(err: unknown): HandshakeRefusal | null {
  const data = typeof err === 'object' && err !== null ? (err as { data?: unknown }).data : undefined;
  if (typeof data !== 'object' || data === null) return null;
  const { code, message } = data as { code?: unknown; message?: unknown };
  if (code !== 'UNAUTHENTICATED' && code !== 'FORBIDDEN') return null;
  const fallback = code === 'FORBIDDEN' ? 'Connection refused' : 'Not logged in';
  return { code, message: typeof message === 'string' && message ? message : fallback };
}
