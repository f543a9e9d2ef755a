import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { outcomeView } from '../../../client/hud/commands/commandText';
import { renderText } from '../../../client/i18n/codedText';
import { translate } from '../../../client/i18n/messages';
import { COMMAND_TIMEOUT_MS } from '../../../client/net/commandActions';
import { DEVICE_ANSWER_MAX_MS, enText, type SourcesFile, sourcesFileSchema } from '../../../protocol';
import {
  DEVICE_CONFIRM_TIMEOUT_MS,
  type DeviceCommand,
  type DeviceCommandResult,
  type SourceAdapter,
} from '../../../server/ingest/adapter';
import { DeviceCommands } from '../../../server/ingest/deviceCommands';
import { Ingest } from '../../../server/ingest/ingest';
import { SourceStats } from '../../../server/ingest/sourceStats';
import { createWorld } from '../../../server/sim';
import { defaultLayout } from '../../helpers/server';

const logger = pino({ level: 'silent' });

/** An adapter whose command answer the test decides (settle it by hand, or never). */
class HandAdapter implements SourceAdapter {
  readonly calls: DeviceCommand[] = [];
  private waiting: ((r: DeviceCommandResult) => void)[] = [];
  behave: 'hold' | 'throw' | 'garbage' = 'hold';
  private readonly stats = new SourceStats(0, 's', 'mqtt-json', logger);
  start(): void {}
  async stop(): Promise<void> {}
  health() {
    return this.stats;
  }
  command(cmd: DeviceCommand): Promise<DeviceCommandResult> {
    this.calls.push(cmd);
    if (this.behave === 'throw') throw new Error('socket closed');
    if (this.behave === 'garbage')
      return Promise.resolve({ status: 'done' } as unknown as DeviceCommandResult);
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  settle(r: DeviceCommandResult): void {
    for (const w of this.waiting.splice(0)) w(r);
  }
}

/** Equipment 0 simulated; 1 and 2 fed by source 0 (1 takes commands); 3 fed by source 1, which has no command path. */
function sender(adapter: SourceAdapter, answerMs?: number) {
  const plain: SourceAdapter = { start() {}, stop: async () => {}, health: () => adapter.health() };
  return new DeviceCommands({
    adapters: [adapter, plain],
    sourceOf: Int16Array.from([-1, 0, 0, 1]),
    commands: Uint8Array.from([0, 1, 0, 1]),
    simulated: (eq) => eq === 0,
    answerMs,
  });
}
const cmd = (commandId: string, eq = 1): DeviceCommand => ({
  commandId,
  equipmentId: `E${eq}`,
  eq,
  action: 'stop',
});

describe('device command sending', () => {
  it('routes simulated equipment to the simulation and only commandable, command-capable feeds to a device', () => {
    const d = sender(new HandAdapter());
    expect([0, 1, 2, 3].map((eq) => d.route(eq))).toEqual(['simulation', 'device', 'read-only', 'read-only']);
  });

  it('sends a command id once while it is in flight: a second send joins the first answer', async () => {
    const a = new HandAdapter();
    const d = sender(a);
    const first = d.send(cmd('c1'));
    const again = d.send(cmd('c1'));
    expect(a.calls).toHaveLength(1);
    expect(d.pending).toBe(1);
    a.settle({ status: 'confirmed', detail: 'idle' });
    expect(await first).toEqual({ status: 'confirmed', detail: 'idle' });
    expect(await again).toEqual({ status: 'confirmed', detail: 'idle' });
    expect(d.pending).toBe(0);
  });

  it('refuses equipment that takes no commands without calling any adapter', async () => {
    const a = new HandAdapter();
    const d = sender(a);
    expect(await d.send(cmd('c2', 2))).toMatchObject({ status: 'refused' });
    expect(await d.send(cmd('c3', 3))).toMatchObject({ status: 'refused' });
    expect(a.calls).toHaveLength(0);
  });

  it('answers unconfirmed when an adapter does not answer in time, throws or answers nonsense', async () => {
    const a = new HandAdapter();
    const d = sender(a, 150);
    expect(await d.send(cmd('hang'))).toMatchObject({
      status: 'unconfirmed',
      detail: /no answer within 0\.2 s/,
    });
    a.behave = 'throw';
    expect(await d.send(cmd('throw'))).toMatchObject({ status: 'unconfirmed', detail: /socket closed/ });
    a.behave = 'garbage';
    expect(await d.send(cmd('garbage'))).toMatchObject({ status: 'unconfirmed' });
    expect(d.pending).toBe(0);
  });

  it('waits for a device longer than the confirmation timeout, and clients wait longer than the server', () => {
    expect(DEVICE_ANSWER_MAX_MS).toBeGreaterThan(DEVICE_CONFIRM_TIMEOUT_MS);
    expect(COMMAND_TIMEOUT_MS).toBeGreaterThan(DEVICE_ANSWER_MAX_MS + 1000);
  });
});

describe('the ingest’s command routes', () => {
  const world = () => createWorld(defaultLayout(), 3);
  const file = (unmapped: 'simulate' | 'offline'): SourcesFile =>
    sourcesFileSchema.parse({
      sources: [
        {
          id: 'uns',
          kind: 'mqtt-json',
          broker: 'mqtt://127.0.0.1:1',
          commands: true,
          topics: [
            { topic: 'a', equipment: 'L1-R1', fields: { state: '$.s' } },
            { topic: 'b', equipment: 'L1-R2', fields: { state: '$.s' }, commands: false },
          ],
        },
      ],
      unmapped,
    });

  it('keeps mqtt-json equipment read-only even when its mapping allows commands (the protocol has no command path)', () => {
    const w = world();
    const built = Ingest.create(w, file('simulate'), { logger, now: Date.now });
    if (!built.ok) throw new Error(built.errors.join('\n'));
    const at = (id: string) => w.equipment.findIndex((e) => e.id === id);
    expect(built.ingest.commandRoute(at('L1-R1'))).toBe('read-only');
    expect(built.ingest.commandRoute(at('L1-C1'))).toBe('simulation');
    // The per-equipment flag follows the file (entry, else source); the route adds the adapter.
    expect([at('L1-R1'), at('L1-R2'), at('L1-C1')].map((eq) => built.ingest.commands[eq])).toEqual([1, 0, 0]);
  });

  it('routes to the adapter the test seam gives, per entry flag, and shows unmapped offline equipment read-only', async () => {
    const w = world();
    const hand = new HandAdapter();
    const built = Ingest.create(w, file('offline'), {
      logger,
      now: Date.now,
      adapterOverride: () => hand,
      deviceAnswerMs: 100,
    });
    if (!built.ok) throw new Error(built.errors.join('\n'));
    const at = (id: string) => w.equipment.findIndex((e) => e.id === id);
    const ingest = built.ingest;
    expect(['L1-R1', 'L1-R2', 'L1-C1'].map((id) => ingest.commandRoute(at(id)))).toEqual([
      'device',
      'read-only',
      'read-only',
    ]);
    const r = await ingest.command({ commandId: 'x', equipmentId: 'L1-R1', eq: at('L1-R1'), action: 'stop' });
    expect(r.status).toBe('unconfirmed');
    expect(hand.calls).toHaveLength(1);
  });
});

describe('the inspector’s answer to a device command', () => {
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
    translate('en', key, params);
  const req = { commandId: 'c', equipmentId: 'L1-R2', action: 'stop' as const };
  const unconfirmed = enText('cmd.device.unconfirmed', { equipment: 'L1-R2', action: 'stop', seconds: 5 });
  const confirmed = enText('cmd.device.confirmed', { equipment: 'L1-R2', action: 'stop' });

  it('shows an unconfirmed device command as information, a confirmed one as done, in both languages', () => {
    const zh = (text: typeof unconfirmed) => renderText('zh-CN', text.text, text.message, { layout: null });
    const view = (r: typeof unconfirmed, ok: boolean) =>
      outcomeView(
        { phase: 'done', req, result: { ok: true, commandId: 'c', ...r, confirmed: ok } },
        t,
        0,
        (text, fallback) => (text === r.text ? zh(r) : fallback),
      );
    expect(unconfirmed.message).toBe('L1-R2: stop sent to the device; no confirmation within 5 s');
    expect(view(unconfirmed, false)).toEqual({
      tone: 'info',
      text: 'L1-R2：停止命令已发送到设备；5 秒内未收到确认',
    });
    expect(view(confirmed, true)).toEqual({ tone: 'ok', text: 'L1-R2：设备已确认停止命令' });
  });
});
