import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SERVER_DIST } from '../paths';
import { type Optimized, optimizeModel, readGlb } from './optimize';

export type OptimizeReply = { ok: true; out: Optimized } | { ok: false; message: string };

/** The compiled worker (`npm run build`; the tests' global setup builds it). */
export const MODEL_WORKER_FILE = join(SERVER_DIST, 'modelWorker.js');
/** Longest an optimization may run before it is stopped and the upload refused, ms. */
export const OPTIMIZE_TIMEOUT_MS = 120_000;
/** Heap of the worker, MB: a model that needs more is refused rather than taking the server down. */
const WORKER_HEAP_MB = 1024;

/** Reads and optimizes a checked GLB in this thread; never rejects. */
export async function runOptimize(bytes: Uint8Array): Promise<OptimizeReply> {
  try {
    const read = await readGlb(bytes);
    if (!read.ok) return read;
    return { ok: true, out: await optimizeModel(read.doc) };
  } catch (err) {
    return { ok: false, message: `the model could not be optimized (${(err as Error).message})` };
  }
}

/**
 * Optimizes in a worker thread of its own (ended when done, on a timeout or on running out of its
 * heap); in this thread only when the compiled worker is missing (running the sources unbuilt).
 * Never rejects.
 */
export function optimizeOffThread(bytes: Uint8Array): Promise<OptimizeReply> {
  if (!existsSync(MODEL_WORKER_FILE)) return runOptimize(bytes);
  return new Promise((resolve) => {
    const worker = new Worker(MODEL_WORKER_FILE, {
      workerData: bytes,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    let done = false;
    const finish = (r: OptimizeReply) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(r);
    };
    const timer = setTimeout(
      () => finish({ ok: false, message: `optimizing took longer than ${OPTIMIZE_TIMEOUT_MS / 1000} s` }),
      OPTIMIZE_TIMEOUT_MS,
    );
    worker.once('message', (r: OptimizeReply) => finish(r));
    worker.once('error', (err) =>
      finish({ ok: false, message: `the model could not be optimized (${err.message})` }),
    );
    worker.once('exit', (code) =>
      finish({ ok: false, message: `the model could not be optimized (the worker stopped, code ${code})` }),
    );
  });
}
