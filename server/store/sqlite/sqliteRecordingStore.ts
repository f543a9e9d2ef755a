import type { AsyncRecordingStore } from '../api/recordingApi';
import { openRecordingStore, type RecordingStore } from '../recordingStore';

/** The SQLite recording store behind the async interface: each call is the synchronous one, resolved. */
export function asyncRecordingStore(store: RecordingStore): AsyncRecordingStore {
  const run = async <T>(fn: () => T): Promise<T> => fn();
  return {
    create: (rec) => run(() => store.create(rec)),
    get: (id) => run(() => store.get(id)),
    list: () => run(() => store.list()),
    appendChunk: (id, chunk, marks) => run(() => store.appendChunk(id, chunk, marks)),
    end: (id, endedAt) => run(() => store.end(id, endedAt)),
    groupStartAt: (id, simS) => run(() => store.groupStartAt(id, simS)),
    chunks: (id, fromSeq, toSimS) => run(() => store.chunks(id, fromSeq, toSimS)),
    chunk: (id, seq) => run(() => store.chunk(id, seq)),
    chunkAt: (id, simS) => run(() => store.chunkAt(id, simS)),
    marks: (id) => run(() => store.marks(id)),
    addBookmark: (id, simS, label, createdAt, user) =>
      run(() => store.addBookmark(id, simS, label, createdAt, user)),
    bookmarks: (id) => run(() => store.bookmarks(id)),
    trim: (id, retention, nowMs) => run(() => store.trim(id, retention, nowMs)),
    remove: (id) => run(() => store.remove(id)),
    close: () => run(() => store.close()),
  };
}

/** Opens the SQLite recording store (see openRecordingStore) behind the async interface. */
export function openSqliteRecordingStore(dataDir: string): AsyncRecordingStore {
  return asyncRecordingStore(openRecordingStore(dataDir));
}
