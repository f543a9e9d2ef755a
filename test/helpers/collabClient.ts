import * as Y from 'yjs';
import { type AckResult, asBytes, type DesignJoined } from '../../protocol';
import { connectClient, type TestClient } from './server';

/** Ack wait, ms (the machine is loaded). */
const ACK_MS = 15_000;

/** A design page's socket and its copy of one draft's Y.Doc, kept in step both ways. */
export interface CollabClient {
  socket: TestClient;
  doc: Y.Doc;
  /** Every update this side sent, answered (the refusals too). */
  acks: AckResult[];
  /** Sends raw bytes as a `design:update` of the draft; resolves with the answer. */
  send(update: Uint8Array | ArrayBuffer | unknown): Promise<AckResult>;
  emit<T extends object = object>(event: string, payload: unknown): Promise<AckResult<T>>;
  close(): void;
}

/** Resolves when the socket connected (design handshake), rejects on a refused one. */
export function connectDesign(url: string, token: string): Promise<TestClient> {
  const socket = connectClient(url, { token, design: true });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** Connects, joins draft `id` and mirrors it into a Y.Doc: local edits go up, remote ones come in. */
export async function joinDraft(url: string, token: string, id: string): Promise<CollabClient> {
  const socket = await connectDesign(url, token);
  const doc = new Y.Doc();
  const acks: AckResult[] = [];
  const emit = <T extends object = object>(event: string, payload: unknown) =>
    (
      socket.timeout(ACK_MS) as unknown as { emitWithAck: (e: string, p: unknown) => Promise<AckResult<T>> }
    ).emitWithAck(event, payload);
  const id_ = id;
  socket.on(
    'design:update' as never,
    ((msg: { id: string; update: unknown }) => {
      const b = asBytes(msg.update);
      if (msg.id === id_ && b) Y.applyUpdate(doc, b, 'remote');
    }) as never,
  );
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === 'remote') return;
    void emit('design:update', { id, update }).then((r) => acks.push(r));
  });
  const joined = await emit<DesignJoined>('design:join', { id });
  if (!joined.ok) throw new Error(`join refused: ${joined.code} ${joined.message}`);
  Y.applyUpdate(doc, asBytes(joined.state) as Uint8Array, 'remote');
  return {
    socket,
    doc,
    acks,
    send: (update) => emit('design:update', { id, update }),
    emit,
    close: () => socket.close(),
  };
}
