import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlarmTransition, ErrorCode, PlantEvent } from '../../../protocol';
import { nextEvent, sleep, startTestServer, type TestClient, type TestServer } from '../../helpers/server';
import { eventSpecs, type FuzzCase, fuzzCases } from './fuzzPayloads';
import { type Answer, actionAudit, commandEvents, fire, holds, send } from './support';

/** Generated cases per client event (at least 1,000 of them answered). */
const CASES = 1100;
/** Requests in flight at once on the fuzzing socket. */
const BATCH = 40;
const CODES: readonly ErrorCode[] = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'INVALID',
  'RATE_LIMITED',
  'CONFIRMATION_REQUIRED',
  'NOT_FOUND',
  'CONFLICT',
  'INTERNAL',
];

let server: TestServer;
/** The admin may send every event: each refusal below is the payload's, not the role's. */
let admin: TestClient;
let watcher: TestClient;
let byUser: AlarmTransition[];
let byCommand: PlantEvent[];
let heldBefore: number[];

beforeAll(async () => {
  // A high request rate: 1,100 requests per event are sent as fast as the server answers them.
  server = await startTestServer({
    seed: 11,
    speed: 5,
    security: { requestRate: { perS: 100_000, burst: 100_000 } },
  });
  admin = await server.client('admin');
  watcher = await server.client('viewer');
  byUser = [];
  watcher.on('alarm:changed', (t) => {
    if (t.user) byUser.push(t);
  });
  byCommand = commandEvents(watcher);
  heldBefore = holds(server);
});
afterAll(async () => {
  await server?.close();
});

/** Sends one case as its shape says; resolves with the answer, or null when none is due. */
async function sendCase(event: string, c: FuzzCase): Promise<Answer | null> {
  switch (c.shape) {
    case 'none':
      fire(admin, event, c.payload);
      return null;
    case 'extra':
      return send(admin, event, c.payload, { extra: true });
    case 'ack-only':
      return send(admin, event);
    default:
      return send(admin, event, c.payload);
  }
}

describe('fuzzing every client event with malformed payloads', () => {
  const ids = () => ({
    equipment: server.session.layout.equipment.map((e) => e.id),
    nodes: server.session.layout.paths!.nodes.map((n) => n.id),
  });
  const events = [
    'plant:resync',
    'alarm:ack',
    'alarm:shelve',
    'alarm:unshelve',
    'alarm:out-of-service',
    'alarm:since',
    'equipment:command',
  ];

  it.each(events.map((e, i) => [e, i] as const))(
    'answers every malformed %s with INVALID and carries none of them out',
    async (event, i) => {
      const spec = eventSpecs(ids()).find((s) => s.event === event)!;
      const cases = fuzzCases(spec, CASES, 1000 + i);
      let answered = 0;
      for (let k = 0; k < cases.length; k += BATCH) {
        const batch = cases.slice(k, k + BATCH);
        const answers = await Promise.all(batch.map((c) => sendCase(event, c)));
        answers.forEach((a, j) => {
          if (a === null) return;
          answered++;
          const what = `${event} ${batch[j].shape} ${batch[j].what}`;
          if (a.ok) throw new Error(`${what} was accepted: ${JSON.stringify(a).slice(0, 200)}`);
          expect(CODES, what).toContain(a.code);
          expect(a.code, `${what}: ${a.message}`).toBe('INVALID');
          expect(a.message.length, what).toBeGreaterThan(0);
        });
      }
      expect(answered).toBeGreaterThanOrEqual(1000);
      expect(admin.connected).toBe(true);
    },
    120_000,
  );

  it('changed nothing: no audit entry, no alarm action, no command, no polluted prototype', async () => {
    await sleep(300); // let any late broadcast arrive
    expect(actionAudit(server)).toEqual([]);
    expect(byUser).toEqual([]);
    expect(byCommand).toEqual([]);
    expect(holds(server)).toEqual(heldBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('still streams telemetry to a fresh client afterwards, and still obeys a valid request', async () => {
    const fresh = await server.client('operator');
    await nextEvent(fresh, 'telemetry:frame');
    expect(await send(admin, 'alarm:since', { seq: 0 })).toMatchObject({ ok: true });
  });
});
