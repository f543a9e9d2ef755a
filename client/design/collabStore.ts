import { create } from 'zustand';
import type { ApiRefusal } from '../auth/api';

/** Whether the draft's changes have reached the server. */
export type SyncStatus = 'connecting' | 'saved' | 'saving' | 'offline';

/** Someone else in the draft, as their page announces it (awareness). */
export interface Peer {
  /** Their page's awareness client id (one user may have two pages open). */
  client: number;
  name: string;
  /** `#rrggbb`. */
  color: string;
  /** Their camera: position and target [x, y, z], m; null before it was announced. */
  camera: { p: number[]; t: number[] } | null;
  selected: string | null;
}

/** Live editing's low-rate facts for the HUD: the sync status, the others in the draft, a refusal. */
export const useCollabStore = create<{ status: SyncStatus; peers: Peer[]; refusal: ApiRefusal | null }>(
  () => ({
    status: 'connecting',
    peers: [],
    refusal: null,
  }),
);

/** Presence colours, distinct on the dark panels and the grey floor (user name -> one of these). */
const COLORS = ['#e8853a', '#3fb6a8', '#b07be0', '#e0c53f', '#5fa8e8', '#e06a8f', '#7fc96b', '#c9a07f'];

/** A user's colour: the same on every page (from the name). */
export function colorOf(name: string): string {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  return COLORS[h % COLORS.length];
}
