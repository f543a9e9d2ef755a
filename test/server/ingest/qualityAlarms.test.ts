import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderText } from '../../../client/i18n/codedText';
import type { AlarmTransition } from '../../../protocol';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../../server/ingest/embeddedBroker';
import { until } from './ingestServer';
import { startQualityServer } from './qualityServer';

type Server = Awaited<ReturnType<typeof startQualityServer>>;

/** Rules over conveyors; `temp-any` would raise on any value at all (limit far below the range). */
const RULES = {
  rules: [
    {
      id: 'vib-high',
      kind: 'conveyor',
      type: 'high',
      signal: 'vibration',
      limit: 5,
      onDelayS: 3,
      priority: 'high',
      message: '{name} vibration {value} mm/s',
    },
    {
      id: 'speed-low',
      kind: 'conveyor',
      type: 'low',
      signal: 'beltSpeed',
      limit: 0.05,
      onDelayS: 3,
      priority: 'medium',
      message: '{name} belt slow',
    },
    {
      id: 'temp-any',
      equipment: ['L1-C3', 'L1-C4'],
      type: 'high',
      signal: 'motorTemp',
      limit: -1000,
      priority: 'low',
      message: '{name} motor temperature {value}',
    },
  ],
};

let broker: EmbeddedBroker;
let pub: MqttClient;
let server: Server;

const raisesOf = (alarmId: string): AlarmTransition[] =>
  server.book
    .history({ limit: 1000 })
    .filter((t) => t.alarmId === alarmId && t.to === 'unacknowledged' && t.from !== 'acknowledged');
const active = (alarmId: string) => server.book.get(alarmId)?.active === true;

/** Publishes `payload` every 200 ms until stopped (a live device). */
function keepPublishing(topic: string, payload: unknown) {
  const send = () => void pub.publishAsync(topic, JSON.stringify(payload)).catch(() => {});
  send();
  const timer = setInterval(send, 200);
  return () => clearInterval(timer);
}

beforeAll(async () => {
  broker = await startEmbeddedBroker(0, '127.0.0.1');
  const url = `mqtt://127.0.0.1:${broker.port}`;
  server = await startQualityServer(
    {
      sources: [
        {
          id: 'uns',
          kind: 'mqtt-json',
          broker: url,
          topics: [
            {
              topic: 'q/c1',
              equipment: 'L1-C1',
              fields: { vibration: '$.vib', beltSpeed: '$.v' },
              staleAfterS: 1,
            },
            { topic: 'q/c3', equipment: 'L1-C3', fields: { vibration: '$.vib', beltSpeed: '$.v' } },
          ],
        },
      ],
      unmapped: 'offline',
    },
    { rules: RULES },
  );
  pub = await mqtt.connectAsync(url, { protocolVersion: 4, clientId: 'quality-alarm-publisher' });
  await until(() => server.ingest?.stats[0].status === 'connected', 15_000, 'the source to connect');
}, 60_000);

afterAll(async () => {
  await pub?.endAsync(true);
  await server?.close();
  await broker?.close();
});

describe('alarm rules on bad or stale inputs', () => {
  it('raises one low-priority BAD-INPUT alarm for fed equipment whose rule input never arrived, and never the rule', async () => {
    const stop = keepPublishing('q/c3', { vib: 1, v: 0.5 });
    let arrivedAtMs = 0;
    try {
      await until(
        () => server.ingest?.live.rxMs[server.ingest.live.slot(3, 0)] ?? 0,
        20_000,
        'the L1-C3 values to arrive',
      );
      // Counted from the values' arrival: on a loaded machine the source may connect late.
      const arrivedAtS = server.session.world.simTimeS;
      arrivedAtMs = Date.now();
      await until(
        () => server.session.world.simTimeS > arrivedAtS + 3,
        20_000,
        'a few seconds of rule evaluation',
      );
    } finally {
      stop();
    }
    const a = server.book.get('BAD-INPUT@L1-C3');
    expect(a).toMatchObject({ ruleId: 'BAD-INPUT', equipmentId: 'L1-C3', priority: 'low', active: true });
    // The text names the inputs that were bad when it was raised. Raised after its own values
    // arrived (they are good): only the signal no source maps. Raised before (a loaded machine
    // connected the publisher late): that signal among the others.
    if ((a?.raisedAt ?? 0) > arrivedAtMs) {
      expect(a?.text).toEqual({
        code: 'alarm.badInput',
        params: { equipment: 'L1-C3', signals: 'motorTemp' },
      });
      expect(a?.message).toContain('L1-C3: bad or stale input data (motorTemp)');
    } else expect(String(a?.text?.params?.signals).split(', ')).toContain('motorTemp');
    expect(renderText('zh-CN', a?.text, a?.message ?? '', { layout: null })).toContain('输入数据质量差');
    // The frozen motor temperature is above the rule's limit, but the rule is not judged on it.
    expect(server.book.get('temp-any@L1-C3')?.active ?? false).toBe(false);
    expect(raisesOf('temp-any@L1-C3')).toEqual([]);
    // Unmapped equipment shown offline: its rules hold too, and it gets no BAD-INPUT of its own.
    expect(raisesOf('temp-any@L1-C4')).toEqual([]);
    expect(server.book.get('BAD-INPUT@L1-C4')).toBeUndefined();
    expect(server.book.templates['BAD-INPUT']?.['zh-CN']).toBeTruthy();
  });

  it('does not raise a rule whose input goes stale before its on-delay ends; BAD-INPUT raises once for both signals, then clears', async () => {
    // Good data first: L1-C1's BAD-INPUT (raised at start, nothing had arrived) returns to normal.
    let stop = keepPublishing('q/c1', { vib: 1, v: 0.5 });
    try {
      await until(() => !active('BAD-INPUT@L1-C1'), 20_000, 'BAD-INPUT@L1-C1 to clear with good data');
    } finally {
      stop();
    }
    const raisesBefore = raisesOf('BAD-INPUT@L1-C1').length;
    // One vibration reading above the limit, then silence: stale after 1 s, before the 3 s on-delay.
    await pub.publishAsync('q/c1', JSON.stringify({ vib: 9, v: 0.5 }));
    await until(() => active('BAD-INPUT@L1-C1'), 20_000, 'BAD-INPUT@L1-C1 to raise on stale data');
    const simAtStale = server.session.world.simTimeS;
    await until(() => server.session.world.simTimeS > simAtStale + 5, 30_000, 'well past the on-delay');
    expect(raisesOf('vib-high@L1-C1')).toEqual([]);
    expect(active('vib-high@L1-C1')).toBe(false);
    // One alarm for the equipment, raised once, naming both stale signals.
    const raises = raisesOf('BAD-INPUT@L1-C1');
    expect(raises.length).toBe(raisesBefore + 1);
    expect(raises.at(-1)?.alarm.text?.params).toEqual({
      equipment: 'L1-C1',
      signals: 'beltSpeed, vibration',
    });
    expect(
      server.book
        .current()
        .filter((x) => x.equipmentId === 'L1-C1')
        .map((x) => x.ruleId),
    ).toEqual(['BAD-INPUT']);
    // Fresh again (still above the limit): BAD-INPUT returns to normal, and now the rule is judged.
    stop = keepPublishing('q/c1', { vib: 9, v: 0.5 });
    try {
      await until(() => !active('BAD-INPUT@L1-C1'), 20_000, 'BAD-INPUT@L1-C1 to clear');
      expect(server.book.get('BAD-INPUT@L1-C1')?.state).toBe('rtn-unacknowledged');
      await until(() => active('vib-high@L1-C1'), 30_000, 'the rule to raise on good data');
    } finally {
      stop();
    }
    expect(raisesOf('BAD-INPUT@L1-C1').length).toBe(raisesBefore + 1);
    const ack = server.book.ack(['BAD-INPUT@L1-C1'], 'operator', Date.now());
    expect(ack.acknowledged).toEqual(['BAD-INPUT@L1-C1']);
    expect(server.book.get('BAD-INPUT@L1-C1')?.state).toBe('normal');
  });
});
