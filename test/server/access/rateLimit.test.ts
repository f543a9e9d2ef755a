import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_REQUEST_RATE } from '../../../server/app';
import {
  connectClient,
  nextEvent,
  sleep,
  startTestServer,
  type TestClient,
  type TestServer,
} from '../../helpers/server';
import { type Answer, command, newCommandId, send } from './support';

let server: TestServer;
const clients: TestClient[] = [];

beforeAll(async () => {
  // The default limit (no requestRate), and the public showcase for the per-socket case.
  server = await startTestServer({ seed: 2, security: { publicShowcase: true } });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server?.close();
});

/** `n` cheap requests sent at once from `c`. */
const burst = (c: TestClient, n: number) =>
  Promise.all(Array.from({ length: n }, () => send(c, 'alarm:since', { seq: 0 })));
const limited = (as: Answer[]) => as.filter((a) => !a.ok && a.code === 'RATE_LIMITED');

describe('the per-user rate limit', () => {
  it('answers RATE_LIMITED with retryAfterMs past the burst, and lets the user on after that wait', async () => {
    const c = await server.client('viewer');
    const answers = await burst(c, DEFAULT_REQUEST_RATE.burst + 15);
    const refused = limited(answers);
    // Tokens come back while the burst is in flight (10 per second): a second's worth of slack.
    expect(refused.length).toBeGreaterThanOrEqual(5);
    expect(answers.filter((a) => a.ok).length).toBeGreaterThanOrEqual(DEFAULT_REQUEST_RATE.burst);
    for (const r of refused) {
      if (r.ok) continue;
      expect(r.message).toMatch(/too many requests/);
      expect(r.retryAfterMs).toBeGreaterThan(0);
      expect(r.retryAfterMs).toBeLessThanOrEqual(1000 / DEFAULT_REQUEST_RATE.perS);
    }
    const wait = Math.max(...refused.map((r) => (r.ok ? 0 : (r.retryAfterMs ?? 0))));
    await sleep(wait + 20);
    expect(await send(c, 'alarm:since', { seq: 0 })).toMatchObject({ ok: true });
  });

  it('counts a user’s requests over all their sockets, and not against other users', async () => {
    const token = await server.login('operator');
    const a = await server.client('operator', { token });
    const b = await server.client('operator', { token });
    const other = await server.client('trainer');
    const [ra, rb] = await Promise.all([burst(a, 18), burst(b, 17)]);
    expect(limited([...ra, ...rb]).length).toBeGreaterThanOrEqual(5);
    expect(limited(await burst(other, 10))).toEqual([]);
  });

  it('never rate-limits stop and e-stop, while other requests in the same burst are limited', async () => {
    const c = await server.client('admin');
    const arms = server.session.layout.equipment.filter((e) => e.kind === 'robot-arm').map((e) => e.id);
    const [cheap, safety] = await Promise.all([
      burst(c, DEFAULT_REQUEST_RATE.burst + 15),
      Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          command(c, {
            commandId: newCommandId('safe'),
            equipmentId: arms[i % arms.length],
            action: i % 2 ? 'e-stop' : 'stop',
          }),
        ),
      ),
    ]);
    expect(limited(cheap).length).toBeGreaterThanOrEqual(5);
    expect(safety.filter((a) => !a.ok)).toEqual([]);
  });

  it('limits public showcase viewers per socket', async () => {
    const one = connectClient(server.url, { showcase: true });
    const two = connectClient(server.url, { showcase: true });
    clients.push(one, two);
    await Promise.all([nextEvent(one, 'plant:snapshot'), nextEvent(two, 'plant:snapshot')]);
    expect(limited(await burst(one, DEFAULT_REQUEST_RATE.burst + 15)).length).toBeGreaterThanOrEqual(5);
    expect(limited(await burst(two, 10))).toEqual([]);
  });
});
