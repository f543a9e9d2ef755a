import { collectDefaultMetrics, Registry } from 'prom-client';

let shared: Registry | null = null;

/**
 * prom-client's process metrics (CPU, memory, heap, handles, GC, event-loop lag from
 * perf_hooks.monitorEventLoopDelay) in a registry of their own, made once per process: they
 * describe the process, and each collectDefaultMetrics call starts an event-loop monitor and a GC
 * observer that are never stopped, so one per app would leak when a process builds many apps.
 */
export function processRegistry(): Registry {
  if (!shared) {
    shared = new Registry();
    collectDefaultMetrics({ register: shared });
  }
  return shared;
}
