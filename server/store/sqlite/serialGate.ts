/**
 * Runs tasks one after another, in call order: the async SQLite adapters put every call through
 * one, so that while a transaction is open (awaits and all) no other call lands inside it.
 */
export class SerialGate {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.catch(() => {});
    return result;
  }
}
