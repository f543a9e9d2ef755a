import { afterAll, describe, expect, it } from 'vitest';
import { COMMAND_ACTIONS, type Role } from '../../../protocol';
import { startTestServer, type TestServer, tempDataDir } from '../../helpers/server';
import { actionAudit, command, newCommandId, send } from '../access/support';
import { api } from '../training/support';

const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});
async function start(dataDir?: string): Promise<TestServer> {
  const s = await startTestServer({
    seed: 4,
    dataDir,
    security: { requestRate: { perS: 1000, burst: 1000 } },
  });
  servers.push(s);
  return s;
}

const ID = 'd-000000000000';
const VID = 'v-000000000000';
/** Every design route with a body that would be accepted. */
const ROUTES: [string, string, unknown?][] = [
  ['GET', '/api/designs'],
  ['POST', '/api/designs', { name: 'n' }],
  ['GET', `/api/designs/${ID}`],
  ['PUT', `/api/designs/${ID}/layout`, { layout: {} }],
  ['GET', `/api/designs/${ID}/versions`],
  ['POST', `/api/designs/${ID}/versions`, { message: 'm' }],
  ['GET', `/api/designs/${ID}/versions/${VID}`],
  ['GET', '/api/plant/versions'],
];

describe('who may design', () => {
  it('refuses every design route without a token (401) and to viewers, operators and trainers (403)', async () => {
    const server = await start();
    for (const [method, path, body] of ROUTES) {
      const r = await api(server, method, path, null, body);
      expect(r, `${method} ${path}`).toMatchObject({
        status: 401,
        body: { ok: false, code: 'UNAUTHENTICATED' },
      });
    }
    for (const role of ['viewer', 'operator', 'trainer'] as Role[]) {
      const token = await server.login(role);
      for (const [method, path, body] of ROUTES) {
        const r = await api(server, method, path, token, body);
        expect(r, `${role} ${method} ${path}`).toMatchObject({
          status: 403,
          body: { ok: false, code: 'FORBIDDEN' },
        });
      }
    }
    expect(server.designs.list()).toEqual([]);
    expect(server.auth.audit.query({ limit: 1000 }).filter((e) => e.action.startsWith('design:'))).toEqual(
      [],
    );
    // Engineers and admins get through.
    for (const role of ['engineer', 'admin'] as Role[]) {
      const r = await api(server, 'GET', '/api/designs', await server.login(role));
      expect(r, role).toMatchObject({ status: 200, body: { ok: true } });
    }
  });

  it('lets an engineer watch the plant but refuses its equipment commands and alarm actions with FORBIDDEN', async () => {
    const server = await start();
    const c = await server.client('engineer');
    expect(await send(c, 'plant:resync')).toMatchObject({ ok: true });
    const machine = server.session.layout.equipment.find((e) => e.kind === 'robot-arm')!.id;
    for (const action of ['start', 'stop', 'e-stop'] as const) {
      expect(COMMAND_ACTIONS).toContain(action);
      const a = await command(c, { commandId: newCommandId('eng'), equipmentId: machine, action });
      expect(a, action).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    }
    const ack = await send(c, 'alarm:ack', { ids: ['nope@L1-R1'] });
    expect(ack).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const shelve = await send(c, 'alarm:shelve', { id: 'nope@L1-R1', minutes: 5, reason: 'x' });
    expect(shelve).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(actionAudit(server).filter((e) => e.user === server.users.engineer.username)).toEqual([]);
  });
});

describe('design drafts across a restart', () => {
  it('finds drafts, layouts and versions again when the server restarts on the same data directory', async () => {
    const dataDir = tempDataDir();
    const first = await start(dataDir);
    const eng = await first.login('engineer');
    const created = await api(first, 'POST', '/api/designs', eng, { name: 'kept' });
    const id = (created.body.design as { id: string }).id;
    await api(first, 'PUT', `/api/designs/${id}/layout`, eng, { layout: { note: 'half done' } });
    const v = (await api(first, 'POST', `/api/designs/${id}/versions`, eng, { message: 'before restart' }))
      .body.version as { id: string };
    await first.close();
    servers.splice(servers.indexOf(first), 1);

    const second = await start(dataDir);
    const token = await second.login('engineer');
    const got = await api(second, 'GET', `/api/designs/${id}`, token);
    expect(got).toMatchObject({
      status: 200,
      body: { design: { id, name: 'kept', versions: 1 }, layout: { note: 'half done' } },
    });
    expect((got.body.errors as string[]).length).toBeGreaterThan(0);
    const versions = await api(second, 'GET', `/api/designs/${id}/versions`, token);
    expect(versions.body.versions).toEqual([v]);
  });
});
