import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COMMAND_ACTIONS,
  type CommandAction,
  can,
  type EquipmentCommandRequest,
  type Permission,
  ROLES,
} from '../../../protocol';
import { startTestServer, type TestServer } from '../../helpers/server';
import { actionAudit, command, newCommandId, send } from './support';

let server: TestServer;

beforeAll(async () => {
  // A generous rate: this test is about roles, not about throttling.
  server = await startTestServer({ seed: 5, security: { requestRate: { perS: 1000, burst: 1000 } } });
});
afterAll(async () => {
  await server?.close();
});

/** An alarm id of the right shape that no rule raised: allowed requests answer NOT_FOUND. */
const NO_ALARM = 'nope@L1-R1';

/** Every client event besides commands, the permission it needs, and a valid request. */
const EVENTS: { event: string; needs: Permission; args: unknown[] }[] = [
  { event: 'plant:resync', needs: 'plant:watch', args: [] },
  { event: 'alarm:since', needs: 'plant:watch', args: [{ seq: 0 }] },
  { event: 'alarm:ack', needs: 'alarm:act', args: [{ ids: [NO_ALARM] }] },
  { event: 'alarm:shelve', needs: 'alarm:act', args: [{ id: NO_ALARM, minutes: 5, reason: 'matrix' }] },
  { event: 'alarm:unshelve', needs: 'alarm:act', args: [{ id: NO_ALARM }] },
  { event: 'alarm:out-of-service', needs: 'alarm:out-of-service', args: [{ id: NO_ALARM, enabled: false }] },
];

/** A real target of each action's kind. */
function target(action: CommandAction): Omit<EquipmentCommandRequest, 'commandId'> {
  const layout = server.session.layout;
  const first = (kind: string) => layout.equipment.find((e) => e.kind === kind)!.id;
  if (['start', 'stop', 'reset', 'e-stop'].includes(action))
    return { equipmentId: first('robot-arm'), action };
  if (action === 'go-to')
    return { equipmentId: first('agv'), action, params: { node: layout.paths!.nodes[0].id } };
  if (['pause', 'resume', 'dock'].includes(action)) return { equipmentId: first('agv'), action };
  if (action === 'recalibrate') return { equipmentId: first('vision-station'), action };
  return { equipmentId: first('drone'), action };
}

describe('the role × action matrix over real sockets', () => {
  it.each(ROLES)('gives the %s role exactly the client events protocol can() allows', async (role) => {
    const c = await server.client(role);
    for (const { event, needs, args } of EVENTS) {
      const a = await send(c, event, ...args);
      if (can(role, needs)) expect(a.ok || a.code !== 'FORBIDDEN', `${role} ${event}`).toBe(true);
      else expect(a, `${role} ${event}`).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    }
  });

  it.each(ROLES)('gives the %s role exactly the equipment commands protocol can() allows', async (role) => {
    const c = await server.client(role);
    for (const action of COMMAND_ACTIONS) {
      const a = await command(c, { commandId: newCommandId(role), ...target(action) });
      if (can(role, 'equipment:command')) {
        expect(a.ok || a.code !== 'FORBIDDEN', `${role} ${action}`).toBe(true);
      } else expect(a, `${role} ${action}`).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    }
  });

  it('leaves no trace of a forbidden request: no audit entry, no effect', async () => {
    const viewer = server.users.viewer.username;
    expect(actionAudit(server).filter((e) => e.user === viewer)).toEqual([]);
    // The operator's commands did reach the plant and the audit (the matrix is not vacuous).
    const op = server.users.operator.username;
    expect(
      actionAudit(server).some((e) => e.user === op && e.action === 'command:e-stop' && e.result === 'ok'),
    ).toBe(true);
  });
});
