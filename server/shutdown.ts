/**
 * Process shutdown on SIGTERM/SIGINT: closers registered by the start-up run newest first, then the
 * process exits 0. Installed before anything else loads, so a signal during start-up also exits 0
 * (nothing is serving yet: only the stores opened so far are closed). The whole shutdown is capped
 * at SHUTDOWN_CAP_MS: a closer that hangs is left behind (SQLite WAL keeps what was committed).
 */

/** The longest a shutdown may take, ms (service managers wait about 10 s before SIGKILL). */
export const SHUTDOWN_CAP_MS = 5000;
/** Async closers get this much in total, ms; the rest of the cap is for the synchronous ones. */
const ASYNC_BUDGET_MS = 4500;

type Closer = () => void | Promise<void>;

const closers: { name: string; close: Closer }[] = [];
let stopping = false;

/** Installs the SIGTERM/SIGINT handlers (replacing any, e.g. the launcher's). */
export function installShutdown(): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void stop(signal));
  }
}

/** Registers something to close at shutdown (closed newest first). */
export function onShutdown(name: string, close: Closer): void {
  closers.push({ name, close });
}

/** True once a signal arrived: start-up stops where it is (see `parkIfStopping`). */
export function isStopping(): boolean {
  return stopping;
}

/** Awaits forever once a shutdown began, so start-up goes no further while the closers run. */
export async function parkIfStopping(): Promise<void> {
  if (stopping) await new Promise<never>(() => {});
}

async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  // Backstop: whatever still runs, the process is gone within the cap.
  setTimeout(() => process.exit(0), SHUTDOWN_CAP_MS);
  const deadline = Date.now() + ASYNC_BUDGET_MS;
  for (const { name, close } of closers.reverse()) {
    try {
      // Synchronous closers run back to back (no await): start-up code cannot slip in between.
      const pending = close();
      if (pending) {
        const left = Math.max(0, deadline - Date.now());
        const timedOut = await Promise.race([
          pending.then(() => false),
          new Promise<boolean>((r) => setTimeout(() => r(true), left)),
        ]);
        if (timedOut) console.error(`Shutdown (${signal}): ${name} did not finish in time`);
      }
    } catch (err) {
      console.error(`Shutdown (${signal}): closing ${name} failed: ${(err as Error).message}`);
    }
  }
  process.exit(0);
}
