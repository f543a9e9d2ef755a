import type { AckResult, EquipmentCommandRequest, PlantEvent, Refusal } from '../../../protocol';
import type { SimWorld } from '../../../server/sim/state';
import type { TestClient, TestServer } from '../../helpers/server';

/** Any answer of the server to a request. */
export type Answer = AckResult<Record<string, unknown>>;

/** Emits any event with any arguments and resolves with the ack's answer (5 s at most). */
export function send(c: TestClient, event: string, ...args: unknown[]): Promise<Answer> {
  return (c as unknown as { timeout: (ms: number) => { emitWithAck: (...a: unknown[]) => Promise<Answer> } })
    .timeout(5000)
    .emitWithAck(event, ...args);
}

/** Emits without waiting for anything (no ack, or an ack that is not last). */
export function fire(c: TestClient, event: string, ...args: unknown[]): void {
  (c as unknown as { emit: (...a: unknown[]) => void }).emit(event, ...args);
}

/** Sends `equipment:command` and resolves with the answer. */
export function command(c: TestClient, req: EquipmentCommandRequest): Promise<Answer> {
  return send(c, 'equipment:command', req);
}

/** The answer as a refusal (fails the test with the answer when it was accepted). */
export function refusal(a: Answer): Refusal {
  if (a.ok) throw new Error(`expected a refusal, got ${JSON.stringify(a)}`);
  return a;
}

let n = 0;
/** A fresh command id (unique in this test process). */
export function newCommandId(prefix = 'cmd'): string {
  n++;
  return `${prefix}-${process.pid}-${n}`;
}

/** Collects the plant events a client receives that commands caused ("... by command"). */
export function commandEvents(c: TestClient): PlantEvent[] {
  const seen: PlantEvent[] = [];
  c.on('plant:event', (e) => {
    if (e.message.includes('by command')) seen.push(e);
  });
  return seen;
}

/** The operator holds of every machine (stop / e-stop / recalibrating), as a copy. */
export function holds(server: TestServer): number[] {
  return Array.from((server.session.world as SimWorld).held);
}

/** Audit entries of commands and alarm actions (not logins or user changes), newest first. */
export function actionAudit(server: TestServer, result?: string) {
  return server.auth.audit
    .query({ limit: 100_000 })
    .filter(
      (e) =>
        (e.action.startsWith('command:') || e.action.startsWith('alarm:')) &&
        (!result || e.result === result),
    );
}

/** Waits until `check` is true (polling every 20 ms), or fails after `ms`. */
export async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
