import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type MqttJsonSource, sourceSchema } from '../../../protocol';
import { mqttOptions } from '../../../server/ingest/mqttOptions';
import { tempDataDir } from '../../helpers/server';

const source = (extra: Record<string, unknown>) =>
  sourceSchema.parse({
    id: 'uns',
    kind: 'mqtt-json',
    broker: 'mqtts://broker.example:8883',
    topics: [{ topic: 't', equipment: 'L1-C1', fields: { beltSpeed: '$.v' } }],
    ...extra,
  }) as MqttJsonSource;

describe('broker connection options', () => {
  it('takes the password from the environment variable the file names, never from the file itself', () => {
    const r = mqttOptions(source({ username: 'twin', passwordEnv: 'MQTT_PW' }), { MQTT_PW: 's3cret' });
    expect(r.ok && r.options).toMatchObject({
      username: 'twin',
      password: 's3cret',
      protocolVersion: 4,
      reconnectPeriod: 1000,
    });
  });

  it('reads the password file (trimmed) and the TLS files at start', () => {
    const dir = tempDataDir();
    writeFileSync(join(dir, 'pw'), 'from-file\n');
    writeFileSync(join(dir, 'ca.pem'), 'CA');
    const r = mqttOptions(source({ passwordFile: join(dir, 'pw'), ca: join(dir, 'ca.pem') }), {});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.options.password).toBe('from-file');
    expect(String(r.options.ca)).toBe('CA');
    expect(r.options.rejectUnauthorized).toBe(true);
  });

  it('refuses a missing environment variable or an unreadable file, naming the source', () => {
    const r = mqttOptions(
      source({ passwordEnv: 'NOPE_NOT_SET', cert: '/nonexistent/c.pem', key: '/nonexistent/k.pem' }),
      {},
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      'source "uns": environment variable NOPE_NOT_SET is not set',
      'source "uns": cert /nonexistent/c.pem: cannot read file (ENOENT)',
      'source "uns": key /nonexistent/k.pem: cannot read file (ENOENT)',
    ]);
  });

  it('gives each connection its own client id unless the file sets one', () => {
    const a = mqttOptions(source({}), {});
    const b = mqttOptions(source({}), {});
    expect(a.ok && b.ok && a.options.clientId !== b.options.clientId).toBe(true);
    const fixed = mqttOptions(source({ clientId: 'twin-1' }), {});
    expect(fixed.ok && fixed.options.clientId).toBe('twin-1');
  });
});
