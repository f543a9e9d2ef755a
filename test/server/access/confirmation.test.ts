import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIRMATION_TTL_MS, type EquipmentCommandRequest } from '../../../protocol';
import { sleep, startTestServer, type TestClient, type TestServer } from '../../helpers/server';
import { actionAudit, command, commandEvents, newCommandId, refusal } from './support';

let server: TestServer;
/** Added to the server's clock, ms: moving it on expires confirmations. */
let offset = 0;
let op: TestClient;
let trainer: TestClient;
let ARM = '';
let ARM2 = '';
let AGV = '';
let AGV2 = '';
let NODE = '';
let NODE2 = '';

beforeAll(async () => {
  server = await startTestServer({ seed: 4, now: () => Date.now() + offset });
  const eq = server.session.layout.equipment;
  [ARM, ARM2] = eq.filter((e) => e.kind === 'robot-arm').map((e) => e.id);
  [AGV, AGV2] = eq.filter((e) => e.kind === 'agv').map((e) => e.id);
  const aisles = server.session.layout.paths!.nodes.filter((n) => /^A[12]-/.test(n.id)).map((n) => n.id);
  [NODE, NODE2] = aisles;
  op = await server.client('operator');
  trainer = await server.client('trainer');
});
afterAll(async () => {
  await server?.close();
});

/** Sends a command (a fresh command id unless one is given) and resolves with the answer. */
const ask = (c: TestClient, req: Omit<EquipmentCommandRequest, 'commandId'> & { commandId?: string }) =>
  command(c, { ...req, commandId: req.commandId ?? newCommandId() });

/** The token of a CONFIRMATION_REQUIRED answer (fails the test on any other answer). */
async function confirmationFor(
  c: TestClient,
  req: Omit<EquipmentCommandRequest, 'commandId'>,
  commandId?: string,
) {
  const r = refusal(await ask(c, { ...req, commandId }));
  expect(r, r.message).toMatchObject({ code: 'CONFIRMATION_REQUIRED' });
  return r.confirmation!;
}

describe('deliberate commands need a confirmation', () => {
  it('answers start, reset, go-to and launch-patrol without one with CONFIRMATION_REQUIRED, and does nothing', async () => {
    const events = commandEvents(op);
    const drone = server.session.layout.equipment.find((e) => e.kind === 'drone')!.id;
    const reqs: Omit<EquipmentCommandRequest, 'commandId'>[] = [
      { equipmentId: ARM, action: 'start' },
      { equipmentId: ARM, action: 'reset' },
      { equipmentId: AGV, action: 'go-to', params: { node: NODE } },
      { equipmentId: drone, action: 'launch-patrol' },
    ];
    for (const req of reqs) {
      const before = Date.now();
      const r = refusal(await ask(op, req));
      expect(r).toMatchObject({
        code: 'CONFIRMATION_REQUIRED',
        message: `Confirm ${req.action} on ${req.equipmentId} within 30 s`,
        confirmation: expect.stringMatching(/^[A-Za-z0-9_-]{22,}$/),
      });
      expect(r.confirmationExpiresAt! - before).toBeGreaterThanOrEqual(CONFIRMATION_TTL_MS - 50);
      expect(r.confirmationExpiresAt! - Date.now()).toBeLessThanOrEqual(CONFIRMATION_TTL_MS);
    }
    await sleep(400);
    expect(events).toEqual([]);
    const audit = actionAudit(server).filter((e) => e.user === server.users.operator.username);
    expect(audit.map((e) => [e.action, e.result, e.code])).toEqual(
      reqs.map((q) => [`command:${q.action}`, 'refused', 'CONFIRMATION_REQUIRED']).reverse(),
    );
  });

  it('carries out a command sent again with its confirmation', async () => {
    expect(await ask(op, { equipmentId: ARM, action: 'stop' })).toMatchObject({ ok: true });
    const token = await confirmationFor(op, { equipmentId: ARM, action: 'start' });
    const events = commandEvents(op);
    const r = await ask(op, { equipmentId: ARM, action: 'start', confirmation: token });
    expect(r).toMatchObject({ ok: true, message: `${ARM} started` });
    await sleep(400);
    expect(events.filter((e) => /started/.test(e.message)).map((e) => e.equipmentId)).toEqual([ARM]);
  });

  it('gives the same token back when the same command id is sent again unconfirmed', async () => {
    const commandId = newCommandId('again');
    const req = { equipmentId: AGV, action: 'go-to' as const, params: { node: NODE } };
    const first = await confirmationFor(op, req, commandId);
    expect(await confirmationFor(op, req, commandId)).toBe(first);
    // Another command id gets a token of its own.
    expect(await confirmationFor(op, req)).not.toBe(first);
  });

  it('refuses a confirmation that was already used', async () => {
    const req = { equipmentId: AGV, action: 'go-to' as const, params: { node: NODE } };
    const token = await confirmationFor(op, req);
    expect(await ask(op, { ...req, confirmation: token })).toMatchObject({ ok: true });
    expect(await ask(op, { ...req, confirmation: token })).toMatchObject({
      ok: false,
      code: 'INVALID',
      message: expect.stringMatching(/already used/),
    });
  });

  it('audits the confirmation asked for and the confirmed command, never the token', async () => {
    const req = { equipmentId: AGV, action: 'go-to' as const, params: { node: NODE2 } };
    const commandId = newCommandId('audited');
    const token = await confirmationFor(op, req, commandId);
    expect(await ask(op, { ...req, commandId, confirmation: token })).toMatchObject({ ok: true });
    const [done, asked] = actionAudit(server).filter((e) => e.action === 'command:go-to' && e.target === AGV);
    const who = {
      user: server.users.operator.username,
      role: 'operator',
      source: expect.stringMatching(/127\.0\.0\.1/),
    };
    expect(asked).toMatchObject({
      ...who,
      result: 'refused',
      code: 'CONFIRMATION_REQUIRED',
      params: { node: NODE2 },
    });
    expect(done).toMatchObject({ ...who, result: 'ok', params: { node: NODE2, confirmed: true } });
    expect(JSON.stringify(server.auth.audit.query({ limit: 10_000 }))).not.toContain(token);
  });

  it('refuses an expired confirmation', async () => {
    const req = { equipmentId: AGV2, action: 'go-to' as const, params: { node: NODE2 } };
    const token = await confirmationFor(op, req);
    offset += CONFIRMATION_TTL_MS + 1;
    try {
      expect(await ask(op, { ...req, confirmation: token })).toMatchObject({
        ok: false,
        code: 'INVALID',
        message: expect.stringMatching(/expired/),
      });
    } finally {
      offset = 0;
    }
  });

  it('refuses an unknown confirmation', async () => {
    expect(
      await ask(op, { equipmentId: ARM2, action: 'reset', confirmation: 'AAAAAAAAAAAAAAAAAAAAAAAA' }),
    ).toMatchObject({
      ok: false,
      code: 'INVALID',
      message: expect.stringMatching(/unknown/),
    });
  });

  it('refuses a confirmation bound to another equipment, node, action or user, and consumes none', async () => {
    const req = { equipmentId: AGV2, action: 'go-to' as const, params: { node: NODE } };
    const token = await confirmationFor(op, req);
    const wrong: [TestClient, Omit<EquipmentCommandRequest, 'commandId'>, RegExp][] = [
      [op, { ...req, equipmentId: AGV }, new RegExp(`for ${AGV2}, not ${AGV}`)],
      [op, { ...req, params: { node: NODE2 } }, new RegExp(`node ${NODE}, not ${NODE2}`)],
      [op, { equipmentId: AGV2, action: 'launch-patrol' }, /for go-to, not launch-patrol/],
      [trainer, req, /another user/],
    ];
    for (const [c, other, why] of wrong) {
      expect(await ask(c, { ...other, confirmation: token })).toMatchObject({
        ok: false,
        code: 'INVALID',
        message: expect.stringMatching(why),
      });
    }
    expect(await ask(op, { ...req, confirmation: token })).toMatchObject({ ok: true });
  });

  it('does not offer a confirmation for a command that cannot exist', async () => {
    expect(await ask(op, { equipmentId: 'NOPE-1', action: 'start' })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect(await ask(op, { equipmentId: ARM, action: 'launch-patrol' })).toMatchObject({
      ok: false,
      code: 'INVALID',
      message: expect.stringMatching(/not a command of a robot-arm/),
    });
    expect(await ask(op, { equipmentId: AGV, action: 'go-to', params: { node: 'NOPE-1' } })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
  });

  it('carries out stop and e-stop at once, without a confirmation, even when one is sent along', async () => {
    expect(await ask(op, { equipmentId: ARM2, action: 'stop' })).toMatchObject({ ok: true });
    expect(await ask(op, { equipmentId: ARM2, action: 'e-stop' })).toMatchObject({
      ok: true,
      message: `${ARM2} emergency-stopped`,
    });
    expect(await ask(op, { equipmentId: ARM2, action: 'e-stop', confirmation: 'stale-token' })).toMatchObject(
      {
        ok: true,
      },
    );
    // And reset after the e-stop is deliberate again.
    const token = await confirmationFor(op, { equipmentId: ARM2, action: 'reset' });
    expect(await ask(op, { equipmentId: ARM2, action: 'reset', confirmation: token })).toMatchObject({
      ok: true,
    });
  });
});
