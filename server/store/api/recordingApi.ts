import type {
  AlarmMark,
  Bookmark,
  ChunkRow,
  NewRecording,
  RecordingInfo,
  Retention,
} from '../recordingStore';

export type {
  AlarmMark,
  Bookmark,
  ChunkRow,
  NewRecording,
  RecordingInfo,
  Retention,
} from '../recordingStore';

/**
 * Recordings on either engine (SQLite: server/store/recordingStore.ts; PostgreSQL:
 * server/store/pg/pgRecordingStore.ts): headers, chunks, alarm marks, bookmarks. Same methods and
 * meaning as the synchronous RecordingStore.
 */
export interface AsyncRecordingStore {
  /** Creates a recording; rejects when the id exists. */
  create(rec: NewRecording): Promise<void>;
  get(id: string): Promise<RecordingInfo | null>;
  /** Every recording, newest first. */
  list(): Promise<RecordingInfo[]>;
  /** Stores one chunk and its alarm marks in one transaction; rejects for an unknown recording. */
  appendChunk(id: string, chunk: ChunkRow, marks: readonly AlarmMark[]): Promise<void>;
  end(id: string, endedAt: number): Promise<void>;
  /** Sequence of the last chunk starting a group at or before `simS` (the first group if before all). */
  groupStartAt(id: string, simS: number): Promise<number | null>;
  /** Chunks with seq in [fromSeq, ..] whose start is at or before `toSimS`, in order. */
  chunks(id: string, fromSeq: number, toSimS: number): Promise<ChunkRow[]>;
  /** The chunk with `seq`. */
  chunk(id: string, seq: number): Promise<ChunkRow | null>;
  /** The chunk holding `simS`, or the last before it. */
  chunkAt(id: string, simS: number): Promise<ChunkRow | null>;
  /** Alarm marks, by simulation time. */
  marks(id: string): Promise<AlarmMark[]>;
  /** Adds a bookmark; rejects for an unknown recording. */
  addBookmark(
    id: string,
    simS: number,
    label: string,
    createdAt: number,
    user?: string | null,
  ): Promise<Bookmark>;
  /** Bookmarks by simulation time, then as added. */
  bookmarks(id: string): Promise<Bookmark[]>;
  /** Deletes the oldest groups beyond the retention; resolves to the chunks deleted. */
  trim(id: string, retention: Retention, nowMs: number): Promise<number>;
  /** Deletes a recording with its chunks, marks and bookmarks. */
  remove(id: string): Promise<void>;
  /** Ends the store (SQLite: closes the file; PostgreSQL: the pool stays its owner's to end). */
  close(): Promise<void>;
}
