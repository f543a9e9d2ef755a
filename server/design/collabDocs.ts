import type { Logger } from 'pino';
import {
  Awareness,
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Refusal } from '../../protocol';
import { docToLayout, layoutToDoc, replaceLayout } from '../../protocol/layoutDoc';
import type { DesignStore } from '../store/designStore';
import { awarenessProblem, shadowOf, updateProblem } from './collabCheck';

/** How long after a change the draft is written to the store, ms (at most this much is lost in a crash). */
export const COLLAB_PERSIST_MS = 500;

/** What the collaboration rooms tell the transport; `from` is the member that sent it (null: the server). */
export interface CollabOutlet {
  update(id: string, update: Uint8Array, from: string | null): void;
  awareness(id: string, update: Uint8Array, from: string | null): void;
}

/** What a member joining gets: the doc and everyone's awareness, each as one update. */
export interface CollabJoined {
  state: Uint8Array;
  awareness: Uint8Array;
}

interface Room {
  doc: Y.Doc;
  /** A copy of `doc` that members' updates are tried on first. */
  shadow: Y.Doc;
  awareness: Awareness;
  /** Members (socket ids) and the awareness client ids each speaks for. */
  members: Map<string, Set<number>>;
  timer: ReturnType<typeof setTimeout> | null;
  dirty: boolean;
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * The drafts being edited live: one Y.Doc per draft that someone has open, loaded from the store
 * (or built from its JSON layout the first time) and evicted when the last member leaves. Changes
 * are written back debounced (COLLAB_PERSIST_MS) and on the last leave, both the doc and its JSON
 * layout, so the HTTP API (GET, export, diff, versions, what-if) reads what is being edited after
 * a `flush`. Knows nothing of sockets: members are ids, and `outlet` carries what must be sent.
 */
export class DesignCollab {
  private readonly rooms = new Map<string, Room>();

  constructor(
    private readonly store: DesignStore,
    private readonly outlet: CollabOutlet,
    private readonly now: () => number,
    private readonly log: Logger,
    private readonly persistMs = COLLAB_PERSIST_MS,
  ) {}

  /** Drafts held in memory now. */
  get openDrafts(): string[] {
    return [...this.rooms.keys()];
  }

  /** Adds `member` to the draft; NOT_FOUND when there is no such draft. */
  join(id: string, member: string): ({ ok: true } & CollabJoined) | Refusal {
    const room = this.open(id);
    if (!room) return { ok: false, code: 'NOT_FOUND', message: `no design ${id}` };
    if (!room.members.has(member)) room.members.set(member, new Set());
    return {
      ok: true,
      state: Y.encodeStateAsUpdate(room.doc),
      awareness: encodeAwarenessUpdate(room.awareness, [...room.awareness.getStates().keys()]),
    };
  }

  /**
   * A member's Yjs update, sent by `user`: checked on a copy (comments too: a new one must be
   * the user's own), then applied and sent to the others.
   */
  update(id: string, member: string, user: string, update: Uint8Array): Refusal | null {
    const room = this.memberRoom(id, member);
    if (!room) return notJoined(id);
    const problem = updateProblem(room.shadow, update, { doc: room.doc, user });
    if (problem) {
      room.shadow.destroy();
      room.shadow = shadowOf(room.doc);
      return { ok: false, code: 'INVALID', message: problem };
    }
    Y.applyUpdate(room.doc, update, member);
    return null;
  }

  /** A member's awareness update (its own client ids, its own user name: see awarenessProblem). */
  awareness(id: string, member: string, user: string, update: Uint8Array): Refusal | null {
    const room = this.memberRoom(id, member);
    if (!room) return notJoined(id);
    const owned = room.members.get(member) as Set<number>;
    const others = new Set<number>();
    for (const [m, ids] of room.members) if (m !== member) for (const c of ids) others.add(c);
    const r = awarenessProblem(update, user, owned, others);
    if (typeof r === 'string') return { ok: false, code: 'INVALID', message: r };
    for (const c of r) owned.add(c);
    applyAwarenessUpdate(room.awareness, update, member);
    return null;
  }

  /** Takes `member` out of the draft (its awareness goes); the last one out writes and evicts it. */
  leave(id: string, member: string): void {
    const room = this.rooms.get(id);
    const ids = room?.members.get(member);
    if (!room || !ids) return;
    room.members.delete(member);
    if (ids.size) removeAwarenessStates(room.awareness, [...ids], null);
    if (room.members.size === 0) this.evict(id, room);
  }

  /**
   * Replaces the draft's layout (PUT of a whole layout) in one transaction that every member
   * receives, and stores it now with `layoutJson` as its JSON; false when there is no such draft.
   */
  replace(id: string, layout: Obj, layoutJson: string): boolean {
    const room = this.open(id);
    if (!room) return false;
    replaceLayout(room.doc, layout, null);
    if (room.timer) clearTimeout(room.timer);
    room.timer = null;
    room.dirty = false;
    const ok = this.store.setDocState(id, Y.encodeStateAsUpdate(room.doc), layoutJson, this.now());
    if (room.members.size === 0) this.evict(id, room);
    return ok;
  }

  /** Writes the draft now if it has changes not yet stored (before the HTTP API reads it). */
  flush(id: string): void {
    const room = this.rooms.get(id);
    if (room) this.persist(id, room);
  }

  /** Writes every open draft and forgets them (server shutdown). */
  close(): void {
    for (const [id, room] of [...this.rooms]) this.evict(id, room);
  }

  private memberRoom(id: string, member: string): Room | null {
    const room = this.rooms.get(id);
    return room?.members.has(member) ? room : null;
  }

  private open(id: string): Room | null {
    const held = this.rooms.get(id);
    if (held) return held;
    if (!this.store.get(id)) return null;
    const doc = new Y.Doc();
    const state = this.store.docState(id);
    if (state) Y.applyUpdate(doc, state);
    else {
      // First live edit of this draft: every member starts from this one doc, stored right away,
      // so that a client's offline changes always merge into the same items.
      const layout = JSON.parse(this.store.layoutJson(id) ?? '{}') as unknown;
      layoutToDoc(isObj(layout) ? layout : {}, doc);
      this.store.setDocState(id, Y.encodeStateAsUpdate(doc), JSON.stringify(docToLayout(doc)), this.now());
    }
    const awareness = new Awareness(doc);
    // The server is no participant.
    awareness.setLocalState(null);
    const room: Room = {
      doc,
      shadow: shadowOf(doc),
      awareness,
      members: new Map(),
      timer: null,
      dirty: false,
    };
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      // A member's update is in the shadow already (tried there first); the server's own are not.
      if (typeof origin !== 'string') Y.applyUpdate(room.shadow, update);
      room.dirty = true;
      if (!room.timer) room.timer = setTimeout(() => this.persist(id, room), this.persistMs);
      this.outlet.update(id, update, typeof origin === 'string' ? origin : null);
    });
    awareness.on(
      'update',
      (c: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
        const changed = [...c.added, ...c.updated, ...c.removed];
        if (!changed.length) return;
        const update = encodeAwarenessUpdate(awareness, changed);
        this.outlet.awareness(id, update, typeof origin === 'string' ? origin : null);
      },
    );
    this.rooms.set(id, room);
    return room;
  }

  private persist(id: string, room: Room): void {
    if (room.timer) clearTimeout(room.timer);
    room.timer = null;
    if (!room.dirty) return;
    try {
      const layoutJson = JSON.stringify(docToLayout(room.doc));
      this.store.setDocState(id, Y.encodeStateAsUpdate(room.doc), layoutJson, this.now());
      room.dirty = false;
    } catch (err) {
      // Kept dirty: the next change or the last leave tries again.
      this.log.error({ err, design: id }, 'could not store a draft being edited');
    }
  }

  private evict(id: string, room: Room): void {
    this.persist(id, room);
    room.awareness.destroy();
    room.shadow.destroy();
    room.doc.destroy();
    this.rooms.delete(id);
  }
}

function notJoined(id: string): Refusal {
  return { ok: false, code: 'CONFLICT', message: `join design ${id} first (design:join)` };
}
