import { parentPort, workerData } from 'node:worker_threads';
import type { Layout, WhatIfKpis } from '../../protocol';
import { runWhatIf } from './whatIf';
import type { WhatIfScript } from './whatIfScript';

/** What the what-if service starts its worker with: both layouts (valid), seed and hours. */
export interface WhatIfWorkerData {
  draft: Layout;
  live: Layout;
  seed: number;
  hours: number;
  /** A scenario to run on both. */
  script?: WhatIfScript;
}

/** Messages from the worker: progress of both runs together (0..1), then the result or an error. */
export type WhatIfWorkerReply =
  | { t: 'progress'; done: number }
  | { t: 'done'; draft: WhatIfKpis; live: WhatIfKpis }
  | { t: 'error'; message: string };

/**
 * The what-if worker: one per run, off the server's loop thread, so the 10 Hz tick goes on while it
 * simulates the draft and then the live layout. It ends by itself after answering; the service
 * terminates it to cancel.
 */
const data = workerData as WhatIfWorkerData;
const port = parentPort!;
// Two runs of equal length: the draft is the first half of the progress, the live plant the second.
const progress = (offset: number) => (done: number) =>
  port.postMessage({ t: 'progress', done: offset + done / 2 } satisfies WhatIfWorkerReply);
try {
  const draft = runWhatIf(data.draft, data.seed, data.hours, progress(0), data.script);
  const live = runWhatIf(data.live, data.seed, data.hours, progress(0.5), data.script);
  port.postMessage({ t: 'done', draft, live } satisfies WhatIfWorkerReply);
} catch (err) {
  port.postMessage({
    t: 'error',
    message: err instanceof Error ? err.message : String(err),
  } satisfies WhatIfWorkerReply);
}
