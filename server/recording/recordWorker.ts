import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { openRecordingStore } from '../store/recordingStore';
import { type Batch, RecordingWriter, type WriterOptions, type WriterStart } from './writer';

/** What the recorder starts its worker with. */
export interface RecordWorkerData {
  dataDir: string;
  options: WriterOptions;
  start: WriterStart;
  /**
   * Int32 [0] messages done, [1] 1 once one failed; then Float64 at byte 8: bytes written by part
   * (frames, events, KPIs, keyframes) and the worker's busy time, ms.
   */
  shared: SharedArrayBuffer;
}

/** A message to the worker: a batch to store, or the end of the recording. */
export type RecordWorkerMessage = { t: 'batch'; batch: Batch } | { t: 'end'; at: number };

/**
 * A message from the worker after each message it handled; a batch's buffers come back (moved)
 * for the recorder to fill again.
 */
export type RecordWorkerReply = { t: 'done'; error?: string; frames?: ArrayBuffer; ends?: ArrayBuffer };

/**
 * The recording worker: one per recorder, with its own connection to the database. It encodes,
 * compresses and stores what the loop's thread hands it, off the tick; after each message it bumps
 * the shared counter (which `flushSync` waits on) and answers (which `flush` awaits).
 */
const data = workerData as RecordWorkerData;
const port = parentPort!;
const done = new Int32Array(data.shared, 0, 2);
const bytes = new Float64Array(data.shared, 8, 5);
const store = openRecordingStore(data.dataDir);
const writer = new RecordingWriter(store, data.options, data.start);

port.on('message', (m: RecordWorkerMessage) => {
  const t0 = performance.now();
  let error: string | undefined;
  try {
    if (m.t === 'batch') writer.write(m.batch);
    else {
      writer.end(m.at);
      store.close();
    }
  } catch (err) {
    error = err instanceof Error ? (err.stack ?? err.message) : String(err);
    Atomics.store(done, 1, 1);
  }
  bytes[0] = writer.bytes.frames;
  bytes[1] = writer.bytes.events;
  bytes[2] = writer.bytes.kpis;
  bytes[3] = writer.bytes.keyframes;
  bytes[4] += performance.now() - t0;
  Atomics.add(done, 0, 1);
  Atomics.notify(done, 0);
  const reply: RecordWorkerReply = error ? { t: 'done', error } : { t: 'done' };
  if (m.t === 'batch') {
    reply.frames = m.batch.frames.buffer as ArrayBuffer;
    reply.ends = m.batch.ends.buffer as ArrayBuffer;
    port.postMessage(reply, [reply.frames, reply.ends]);
  } else port.postMessage(reply);
});
