import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { Layout, WhatIfKpis } from '../../protocol';
import { ROOT, SERVER_DIST } from '../paths';
import type { WhatIfScript } from './whatIfScript';
import type { WhatIfWorkerData, WhatIfWorkerReply } from './whatIfWorker';

/**
 * The compiled worker (`npm run build`), beside main.js in the bundle; also under tsx and vitest
 * (no TypeScript loader inside worker threads), as the recording worker.
 */
export const WHATIF_WORKER_FILE = join(SERVER_DIST, 'whatIfWorker.js');
/** Longest a run may take on the wall clock before it is stopped, ms (24 h of the shipped plant take ~20 s a layout). */
export const WHATIF_MAX_WALL_MS = 10 * 60_000;
/** Heap a run may use, MiB: a huge draft fails its run, not the server. */
const WORKER_HEAP_MB = 1024;

/** How a run ended. */
export type WhatIfOutcome =
  | { ok: true; draft: WhatIfKpis; live: WhatIfKpis; wallS: number }
  | { ok: false; reason: 'cancelled' | 'timeout' | 'failed'; message: string };

/** The run in progress. */
interface Running {
  readonly designId: string;
  readonly hours: number;
  readonly seed: number;
  progress: number;
  readonly worker: Worker;
  readonly finish: (o: WhatIfOutcome) => void;
}

/** Options of the service (tests shorten the wall-clock limit). */
export interface WhatIfServiceOptions {
  maxWallMs?: number;
  workerFile?: string;
}

/**
 * Runs what-ifs in a worker thread, one at a time per server: a second request while one runs is
 * refused (the caller answers 409), so a few users cannot stack up CPU-bound runs. `close()`
 * terminates a run in progress (the server is shutting down) and refuses new ones.
 */
export class WhatIfService {
  private current: Running | null = null;
  private closed = false;
  private readonly maxWallMs: number;
  private readonly workerFile: string;

  constructor(options: WhatIfServiceOptions = {}) {
    this.maxWallMs = options.maxWallMs ?? WHATIF_MAX_WALL_MS;
    this.workerFile = options.workerFile ?? WHATIF_WORKER_FILE;
  }

  /** True while a run is in progress. */
  get busy(): boolean {
    return this.current !== null;
  }

  /** The run of `designId` in progress, or null (none, or another draft's). */
  progressOf(designId: string): { progress: number; hours: number; seed: number } | null {
    const c = this.current;
    return c && c.designId === designId ? { progress: c.progress, hours: c.hours, seed: c.seed } : null;
  }

  /**
   * Starts a run of both layouts (valid ones) and resolves when it ends; never rejects. Returns
   * null without starting anything when a run is in progress or the service is closed.
   */
  start(
    designId: string,
    draft: Layout,
    live: Layout,
    hours: number,
    seed: number,
    script?: WhatIfScript,
  ): Promise<WhatIfOutcome> | null {
    if (this.current || this.closed) return null;
    if (!existsSync(this.workerFile))
      return Promise.resolve({
        ok: false,
        reason: 'failed',
        message: `the what-if worker ${this.workerFile} is missing: run \`npm run build\``,
      });
    warnIfStale(this.workerFile);
    const started = performance.now();
    const workerData: WhatIfWorkerData = { draft, live, hours, seed };
    if (script) workerData.script = script;
    const worker = new Worker(this.workerFile, {
      workerData,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    return new Promise<WhatIfOutcome>((resolve) => {
      let done = false;
      const timer = setTimeout(
        () =>
          end({
            ok: false,
            reason: 'timeout',
            message: `the run took longer than ${this.maxWallMs / 1000} s`,
          }),
        this.maxWallMs,
      );
      const end = (o: WhatIfOutcome) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (this.current?.worker === worker) this.current = null;
        void worker.terminate();
        resolve(o);
      };
      this.current = { designId, hours, seed, progress: 0, worker, finish: end };
      worker.on('message', (m: WhatIfWorkerReply) => {
        if (m.t === 'progress') {
          if (this.current?.worker === worker) this.current.progress = m.done;
        } else if (m.t === 'done')
          end({ ok: true, draft: m.draft, live: m.live, wallS: (performance.now() - started) / 1000 });
        else end({ ok: false, reason: 'failed', message: m.message });
      });
      worker.on('error', (err) => end({ ok: false, reason: 'failed', message: err.message }));
      worker.on('exit', (code) =>
        end({ ok: false, reason: 'failed', message: `the what-if worker stopped (exit code ${code})` }),
      );
    });
  }

  /** Stops the run in progress (its promise resolves as cancelled); `designId`: only if it is that draft's. */
  cancel(designId?: string): void {
    const c = this.current;
    if (!c || (designId !== undefined && c.designId !== designId)) return;
    c.finish({ ok: false, reason: 'cancelled', message: 'the what-if run was cancelled' });
  }

  /** Cancels a run in progress and refuses new ones (server shutdown). */
  close(): void {
    this.closed = true;
    this.cancel();
  }
}

let staleChecked = false;

/**
 * Running from the sources (tsx), warns once when the compiled worker is older than them: a run
 * would simulate with old code (`npm run build` or the test setup rebuilds it).
 */
function warnIfStale(file: string): void {
  if (staleChecked || !import.meta.url.endsWith('.ts')) return;
  staleChecked = true;
  const built = statSync(file).mtimeMs;
  if (['server', 'protocol'].some((d) => newestMtime(join(ROOT, d)) > built))
    console.warn(
      `${file} is older than the sources: run \`npm run build\` to run what-ifs with the current code`,
    );
}

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}
