/**
 * Worker thread entry (dist/server/modelWorker.js): reads and optimizes one uploaded model, so the
 * heavy synchronous steps (weld, simplify, meshopt encoding: up to a second for a few MB) never
 * hold the server's 10 Hz tick. The model's bytes come in `workerData`; one message goes back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runOptimize } from './optimizeJob';

const bytes = workerData as Uint8Array;
const reply = await runOptimize(bytes);
// Copied, not transferred: the levels are small, and a pooled buffer cannot be transferred.
parentPort?.postMessage(reply);
