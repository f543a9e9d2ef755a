import { io, type Socket } from 'socket.io-client';
import {
  Awareness,
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from 'y-protocols/awareness';
import * as Y from 'yjs';
import {
  type AckResult,
  asBytes,
  type ClientToServerEvents,
  type DesignSummary,
  parseLayout,
  type ServerToClientEvents,
} from '../../protocol';
import { docToLayout, LAYOUT_ROOT } from '../../protocol/layoutDoc';
import { useAuthStore } from '../auth/authStore';
import { handshakeRefusal } from '../net/handshakeRefusal';
import { applyChange, shareUnchanged } from './collabShare';
import { colorOf, type Peer, useCollabStore } from './collabStore';
import { bindComments } from './commentsStore';
import { type EditBinding, setErrors, useDesignStore } from './designStore';
import { designView } from './designView';
import type { DraftLayout } from './layoutEdits';

type CollabSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Wait for the server's answer to a join or an update, ms. */
const ACK_MS = 15_000;
/** After a failed join or a refused update, join again after this long, ms (a fresh state exchange). */
const REJOIN_MS = 2000;
/** How often the camera is looked at for presence, ms (sent only when it moved). */
const CAMERA_MS = 250;
/** Smallest camera move announced, m. */
const CAMERA_STEP_M = 0.05;
/** The loader's checks run this long after the last change, ms. */
const CHECK_MS = 150;

/** Transaction origins: this page's edits (undoable), and what came from the server (never undone). */
const LOCAL = 'local-edit';
const REMOTE = 'remote';

/** A live-editing session of one draft on this page. */
export interface CollabSession {
  /** Disconnects (for tests: the offline case) and connects again. */
  disconnect(): void;
  reconnect(): void;
  close(): void;
}

/**
 * Joins draft `design` live: the page's copy of its Y.Doc is kept in step with the server's over
 * the design socket; the design store's `edit` writes into it (through the binding) and the
 * others' changes replace the store's present without an undo step. Undo and redo are a
 * Y.UndoManager of this page's own changes. Offline, edits go on in the local doc; on reconnect
 * the page joins again, merges the server's state and sends what the server lacks. Presence
 * (awareness): this user's name and colour, camera and selection, and everyone else's.
 */
export function startCollab(design: DesignSummary, token: string, user: string): CollabSession {
  const id = design.id;
  const doc = new Y.Doc();
  const undo = new Y.UndoManager(doc.getMap(LAYOUT_ROOT), {
    trackedOrigins: new Set([LOCAL]),
    captureTimeout: 0,
  });
  // Comments live in the same doc (their own root): they travel, merge and persist with it.
  const unbindComments = bindComments(doc, user);
  const awareness = new Awareness(doc);
  awareness.setLocalState({ user: { name: user, color: colorOf(user) }, camera: null, selected: null });
  const socket: CollabSocket = io({
    transports: ['websocket'],
    forceNew: true,
    reconnectionDelayMax: 5000,
    auth: { token, design: true, screen: 'design' },
  });
  let joined = false;
  let opened = false;
  /** Updates sent and not yet answered, and whether some local change has not been sent at all. */
  let inFlight = 0;
  let unsent = false;
  let closed = false;
  let rejoinTimer: ReturnType<typeof setTimeout> | null = null;
  let checkTimer: ReturnType<typeof setTimeout> | null = null;

  const synced = () => joined && inFlight === 0 && !unsent;
  const status = () => {
    const s = !socket.connected ? 'offline' : !joined ? 'connecting' : synced() ? 'saved' : 'saving';
    if (useCollabStore.getState().status !== s) useCollabStore.setState({ status: s });
    if (s === 'saved') {
      const st = useDesignStore.getState();
      if (st.saved !== st.history.present) useDesignStore.setState({ saved: st.history.present });
    }
  };
  const check = () => {
    if (checkTimer) clearTimeout(checkTimer);
    checkTimer = setTimeout(() => {
      const layout = useDesignStore.getState().history.present;
      const r = parseLayout(layout);
      setErrors(layout, r.ok ? [] : r.errors);
    }, CHECK_MS);
  };
  const publish = () => {
    const st = useDesignStore.getState();
    st.receive(shareUnchanged(st.history.present, docToLayout(doc)), synced());
    check();
  };

  const rejoinSoon = () => {
    if (rejoinTimer || closed) return;
    rejoinTimer = setTimeout(() => {
      rejoinTimer = null;
      if (socket.connected) join();
    }, REJOIN_MS);
  };
  const send = (update: Uint8Array) => {
    inFlight++;
    socket.timeout(ACK_MS).emit('design:update', { id, update }, (err: Error | null, r: AckResult) => {
      inFlight--;
      if (err || !r.ok) {
        // Kept in the doc: the next join sends whatever the server still lacks.
        unsent = true;
        if (!err && !r.ok) console.warn(`design: update refused: ${r.code} ${r.message}`);
        rejoinSoon();
      }
      status();
    });
  };
  const sendAwareness = () => {
    if (!joined) return;
    const update = encodeAwarenessUpdate(awareness, [doc.clientID]);
    socket.timeout(ACK_MS).emit('design:awareness', { id, update }, () => {});
  };

  function join(): void {
    socket.timeout(ACK_MS).emit('design:join', { id }, (err, r) => {
      if (closed) return;
      if (err) return rejoinSoon();
      if (!r.ok) {
        useCollabStore.setState({ refusal: r });
        return;
      }
      const state = asBytes(r.state) as Uint8Array;
      Y.applyUpdate(doc, state, REMOTE);
      joined = true;
      unsent = false;
      // What this page changed while it was away (or what a refused update carried).
      const missing = Y.encodeStateAsUpdate(doc, Y.encodeStateVectorFromUpdate(state));
      if (missing.byteLength > 2) send(missing);
      const others = asBytes(r.awareness);
      if (others) applyAwarenessUpdate(awareness, others, REMOTE);
      sendAwareness();
      if (!opened) {
        opened = true;
        const layout = docToLayout(doc);
        const first = parseLayout(layout);
        const binding: EditBinding = {
          apply: (from: DraftLayout, to: DraftLayout) => applyChange(doc, from, to, LOCAL),
          undo: () => undo.undo(),
          redo: () => undo.redo(),
        };
        useDesignStore.getState().open(design, layout, first.ok ? [] : first.errors);
        useDesignStore.setState({ binding });
      } else publish();
      status();
    });
  }

  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== REMOTE) {
      if (joined && socket.connected) send(update);
      else unsent = true;
    }
    // This page's edits are in the store already; the rest (others', undo, redo) come in here.
    if (origin !== LOCAL && opened) publish();
    else if (origin === LOCAL) check();
    status();
  });
  const stacks = () =>
    useDesignStore.setState({ canUndo: undo.undoStack.length > 0, canRedo: undo.redoStack.length > 0 });
  undo.on('stack-item-added', stacks);
  undo.on('stack-item-popped', stacks);
  undo.on('stack-cleared', stacks);

  awareness.on('update', (_: unknown, origin: unknown) => {
    if (origin === 'local') sendAwareness();
  });
  awareness.on('change', () => {
    const peers: Peer[] = [];
    for (const [client, s] of awareness.getStates()) {
      const st = s as {
        user?: { name?: string; color?: string };
        camera?: Peer['camera'];
        selected?: string | null;
      };
      if (client === doc.clientID || !st.user?.name) continue;
      peers.push({
        client,
        name: st.user.name,
        color: st.user.color ?? '#888888',
        camera: st.camera ?? null,
        selected: st.selected ?? null,
      });
    }
    peers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.client - b.client));
    useCollabStore.setState({ peers });
  });
  socket.on('design:update', (m) => {
    const b = asBytes(m?.update);
    if (m?.id === id && b) Y.applyUpdate(doc, b, REMOTE);
  });
  socket.on('design:awareness', (m) => {
    const b = asBytes(m?.update);
    if (m?.id === id && b) applyAwarenessUpdate(awareness, b, REMOTE);
  });
  socket.on('connect', () => {
    join();
    status();
  });
  socket.on('disconnect', (reason) => {
    joined = false;
    // The others' presence is the server's to tell: gone until the next join.
    const others = [...awareness.getStates().keys()].filter((c) => c !== doc.clientID);
    removeAwarenessStates(awareness, others, REMOTE);
    status();
    // The server hung up (not a network loss): Socket.IO does not retry by itself.
    if (reason === 'io server disconnect' && !closed)
      setTimeout(() => !closed && socket.connect(), REJOIN_MS);
  });
  socket.on('connect_error', (err) => {
    // A refused handshake is final for this login (Socket.IO does not retry it): back to the login.
    const refusal = handshakeRefusal(err);
    if (!refusal || closed) return;
    closed = true;
    useAuthStore.getState().signOut({ reason: 'ended', message: refusal.message });
  });
  socket.on('session:ended', (info) => {
    closed = true;
    useAuthStore.getState().signOut({ reason: info.reason, message: info.message });
  });

  const unsubscribe = useDesignStore.subscribe((s, prev) => {
    if (s.selected !== prev.selected) awareness.setLocalStateField('selected', s.selected);
  });
  const camera = setInterval(() => {
    const cam = designView.camera;
    if (!cam || !joined) return;
    const p = [cam.position.x, cam.position.y, cam.position.z].map((v) => Math.round(v * 100) / 100);
    const t = [designView.centre.x, 0, designView.centre.z].map((v) => Math.round(v * 100) / 100);
    const was = (awareness.getLocalState() as { camera?: Peer['camera'] } | null)?.camera;
    const moved =
      !was || [...p, ...t].some((v, i) => Math.abs(v - (i < 3 ? was.p[i] : was.t[i - 3])) >= CAMERA_STEP_M);
    if (moved) awareness.setLocalStateField('camera', { p, t });
  }, CAMERA_MS);

  return {
    disconnect: () => socket.disconnect(),
    reconnect: () => socket.connect(),
    close() {
      closed = true;
      clearInterval(camera);
      if (rejoinTimer) clearTimeout(rejoinTimer);
      if (checkTimer) clearTimeout(checkTimer);
      unsubscribe();
      unbindComments();
      socket.close();
      undo.destroy();
      awareness.destroy();
      doc.destroy();
      useDesignStore.setState({ binding: null, canUndo: false, canRedo: false });
      useCollabStore.setState({ status: 'connecting', peers: [], refusal: null });
    },
  };
}
