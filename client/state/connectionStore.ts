import { create } from 'zustand';

/**
 * live: frames arriving; connecting: first connection; reconnecting: socket lost, retrying;
 * stale: socket up but no frame for a while (data shown grayed, never as if live).
 */
export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'stale';

export interface ConnectionStore {
  status: ConnectionStatus;
  /** Times the socket reconnected since load. */
  reconnects: number;
}

export const useConnectionStore = create<ConnectionStore>(() => ({ status: 'connecting', reconnects: 0 }));
