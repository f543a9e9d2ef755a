import type { ConnectionStatus } from '../state/connectionStore';

/** The facts the connection status is derived from. */
export interface ConnectionFacts {
  /** The socket is connected right now. */
  connected: boolean;
  /** A snapshot has arrived at least once since load (the operator has seen live data). */
  everSynced: boolean;
  /** A snapshot arrived since the socket last connected. */
  synced: boolean;
  /** The twin buffer has had no frame for its staleness limit. */
  stale: boolean;
}

/**
 * The status shown to the operator. Until a snapshot arrives on the current connection, nothing
 * on screen is live: it is 'connecting' before the first snapshot and 'reconnecting' afterwards.
 */
export function deriveStatus(f: ConnectionFacts): ConnectionStatus {
  if (!f.connected || !f.synced) return f.everSynced ? 'reconnecting' : 'connecting';
  return f.stale ? 'stale' : 'live';
}
