import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALARM_TEXT_CODE,
  type ReplayFramesAnswer,
  type ReplayOpened,
  renderAlarmTemplate,
  renderEnglish,
} from '../../../protocol';
import { startTestServer, type TestServer } from '../../helpers/server';
import { control, createSession, FAST, FIXTURES, stepTimes } from '../training/support';
import { ask, QUICK, seek } from './support';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    scenarios: FIXTURES,
    security: FAST,
    record: { live: false, tuning: QUICK },
  });
});
afterAll(async () => {
  await server?.close();
});

describe('recordings keep text codes', () => {
  it('replays events and alarms with their codes and params, and the rule templates to render them', async () => {
    const { id, code } = await createSession(server, 'jam-drill', { seed: 12 });
    const session = server.app.training.find(id)!;
    const run0 = session.recordingId!;
    const trainer = await server.client('trainer', { session: code });
    // 30 steps put the jam (at 2 s), its event and its alarm in the run.
    await stepTimes(trainer, 30);
    expect(await control(trainer, { action: 'restart' })).toMatchObject({ ok: true });
    await session.closed();

    const viewer = await server.client('trainer');
    const opened = (await ask(viewer, 'replay:open', { id: run0 })) as unknown as ReplayOpened & { ok: true };
    expect(opened.ok).toBe(true);
    const template = opened.alarmTemplates?.['conveyor-fault'];
    expect(template?.['zh-CN']).toMatch(/[\u4e00-\u9fff]/);

    const state = await seek(viewer, run0, 3);
    const jam = state.events.find((e) => e.equipmentId === 'L1-C2' && e.type === 'fault');
    expect(jam?.text).toEqual({ code: 'event.scripted.jam', params: { equipment: 'L1-C2' } });
    for (const e of state.events) expect(e.text && renderEnglish(e.text.code, e.text.params)).toBe(e.message);

    const alarm = state.alarms.find((a) => a.id === 'conveyor-fault@L1-C2');
    expect(alarm?.text).toEqual({ code: ALARM_TEXT_CODE, params: { rule: 'conveyor-fault', id: 'L1-C2' } });
    const name = opened.layout.equipment.find((e) => e.id === 'L1-C2')!.name;
    expect(renderAlarmTemplate(template!.en, alarm!.text!.params!, name)).toBe(alarm!.message);

    // The items of a playback window carry them too.
    const win = (await ask(viewer, 'replay:frames', {
      id: run0,
      fromS: 0,
      toS: 3,
    })) as unknown as ReplayFramesAnswer;
    const items = win.items;
    const event = items.find((i) => i.k === 'e' && i.event.type === 'fault');
    expect(event?.k === 'e' && event.event.text?.code).toBe('event.scripted.jam');
    const raise = items.find((i) => i.k === 'a' && i.transition.to === 'unacknowledged');
    expect(raise?.k === 'a' && raise.transition.alarm.text?.code).toBe(ALARM_TEXT_CODE);
  });
});
