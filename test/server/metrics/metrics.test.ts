import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { injectFault } from '../../../server/sim';
import { type Family, parsePrometheusText, sampleSum, sampleValue } from '../../helpers/promText';
import { connectClient, nextEvent, sleep, startTestServer, type TestServer } from '../../helpers/server';
import { command, newCommandId } from '../access/support';
import { QUICK } from '../replay/support';

/** The scraper's token (random per run; at least 16 characters). */
const TOKEN = `metrics-${process.pid}-${Date.now()}-token`;

let server: TestServer;
let ADMIN = '';
let OPERATOR = '';

beforeAll(async () => {
  server = await startTestServer({ seed: 3, metricsToken: TOKEN, record: { tuning: QUICK } });
  ADMIN = await server.login('admin');
  OPERATOR = await server.login('operator');
});
afterAll(async () => {
  await server?.close();
});

/** GET /metrics with `Authorization: Bearer token` (none when token is null). */
function get(token: string | null, auth?: string): Promise<Response> {
  const headers: Record<string, string> = {};
  if (auth !== undefined) headers.authorization = auth;
  else if (token !== null) headers.authorization = `Bearer ${token}`;
  return fetch(`${server.url}/metrics`, { headers });
}

/** Scrapes with the metrics token and parses the body strictly. */
async function scrape(): Promise<Map<string, Family>> {
  const res = await get(TOKEN);
  expect(res.status).toBe(200);
  return parsePrometheusText(await res.text());
}

/** Scrapes until `check` holds on the metrics (or fails after `ms`). */
async function scrapeUntil(check: (m: Map<string, Family>) => boolean, what: string, ms = 10_000) {
  const end = Date.now() + ms;
  for (;;) {
    const m = await scrape();
    if (check(m)) return m;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Every metric the monitoring section promises, with its type. */
const PROMISED: Record<string, Family['type']> = {
  plant_twin_tick_duration_seconds: 'histogram',
  plant_twin_sim_steps_per_tick: 'histogram',
  nodejs_eventloop_lag_seconds: 'gauge',
  nodejs_eventloop_lag_p99_seconds: 'gauge',
  plant_twin_sockets_connected: 'gauge',
  plant_twin_frames_sent_total: 'counter',
  plant_twin_frame_bytes_sent_total: 'counter',
  plant_twin_alarms: 'gauge',
  plant_twin_alarm_transitions_total: 'counter',
  plant_twin_commands_total: 'counter',
  plant_twin_failed_logins_total: 'counter',
  plant_twin_recording_bytes_written_total: 'counter',
  plant_twin_training_sessions: 'gauge',
  process_cpu_seconds_total: 'counter',
  process_resident_memory_bytes: 'gauge',
  nodejs_heap_size_used_bytes: 'gauge',
};

describe('GET /metrics access', () => {
  it('refuses a request without a token with 401 and a JSON error', async () => {
    const res = await get(null);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await res.json()).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
  });

  it('refuses a wrong token, a near miss and a non-bearer scheme with 401, counting no failed login', async () => {
    const before = sampleSum(await scrape(), 'plant_twin_failed_logins_total');
    for (const auth of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, 'Bearer '])
      expect((await get(null, auth)).status, auth).toBe(401);
    expect(sampleSum(await scrape(), 'plant_twin_failed_logins_total')).toBe(before);
    expect(server.auth.audit.query({ limit: 1000 }).filter((e) => e.action === 'login-failed')).toEqual([]);
  });

  it('accepts the metrics token and an admin session token, in the Prometheus text format', async () => {
    for (const token of [TOKEN, ADMIN]) {
      const res = await get(token);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(parsePrometheusText(await res.text()).size).toBeGreaterThan(10);
    }
  });

  it("refuses an operator's session token with 403", async () => {
    const res = await get(OPERATOR);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });

  it('answers other methods with 405', async () => {
    const res = await fetch(`${server.url}/metrics`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(405);
  });
});

describe('the metrics', () => {
  it('has every promised metric with its type, in a body a strict parser accepts', async () => {
    const m = await scrape();
    for (const [name, type] of Object.entries(PROMISED)) {
      expect(m.get(name)?.type, name).toBe(type);
      expect(m.get(name)?.help, name).not.toBe('');
    }
  });

  it('counts ticks and simulation steps as the plant runs', async () => {
    const before = await scrape();
    const ticks = sampleValue(before, 'plant_twin_tick_duration_seconds_count');
    const steps = sampleValue(before, 'plant_twin_sim_steps_per_tick_sum');
    await scrapeUntil(
      (m) =>
        sampleValue(m, 'plant_twin_tick_duration_seconds_count') >= ticks + 3 &&
        sampleValue(m, 'plant_twin_sim_steps_per_tick_sum') > steps &&
        sampleValue(m, 'plant_twin_tick_duration_seconds_sum') > 0,
      'ticks to be counted',
    );
  });

  it('shows a client by role and screen, and counts the frames and bytes it is sent', async () => {
    const before = await scrape();
    const frames = sampleValue(before, 'plant_twin_frames_sent_total');
    const bytes = sampleValue(before, 'plant_twin_frame_bytes_sent_total');
    const trainer = connectClient(server.url, { token: await server.login('trainer'), screen: 'trainer' });
    // A screen the server does not know is never used as a label value as sent.
    const odd = connectClient(server.url, { token: OPERATOR, screen: 'x"}\nevil' });
    try {
      await Promise.all([nextEvent(trainer, 'plant:snapshot'), nextEvent(odd, 'plant:snapshot')]);
      const m = await scrapeUntil(
        (x) => sampleValue(x, 'plant_twin_frames_sent_total') >= frames + 5,
        'frames to be counted',
      );
      expect(sampleValue(m, 'plant_twin_frame_bytes_sent_total')).toBeGreaterThan(bytes);
      expect(sampleValue(m, 'plant_twin_sockets_connected', { role: 'trainer', screen: 'trainer' })).toBe(1);
      expect(sampleValue(m, 'plant_twin_sockets_connected', { role: 'operator', screen: 'unknown' })).toBe(1);
      const screens = new Set(m.get('plant_twin_sockets_connected')!.samples.map((s) => s.labels.screen));
      expect([...screens].sort()).toEqual(
        ['design', 'operator', 'replay', 'showcase', 'trainee', 'trainer', 'unknown'].sort(),
      );
    } finally {
      trainer.close();
      odd.close();
    }
    await scrapeUntil(
      (x) => sampleSum(x, 'plant_twin_sockets_connected') === 0,
      'the closed sockets to leave the gauge',
    );
  });

  it('counts a command sent over the socket by its action and result', async () => {
    const op = await server.client('operator');
    const arm = server.session.layout.equipment.filter((e) => e.kind === 'robot-arm')[1].id;
    const stopped = { action: 'command:stop', result: 'ok' };
    const confirm = { action: 'command:start', result: 'refused', code: 'CONFIRMATION_REQUIRED' };
    const before = await scrape();
    const stops = sampleValue(before, 'plant_twin_commands_total', stopped);
    const starts = sampleValue(before, 'plant_twin_commands_total', confirm);
    const stop = await command(op, { commandId: newCommandId('metrics'), equipmentId: arm, action: 'stop' });
    expect(stop.ok).toBe(true);
    const start = await command(op, {
      commandId: newCommandId('metrics'),
      equipmentId: arm,
      action: 'start',
    });
    expect(start).toMatchObject({ ok: false, code: 'CONFIRMATION_REQUIRED' });
    const after = await scrape();
    expect(sampleValue(after, 'plant_twin_commands_total', stopped)).toBe(stops + 1);
    expect(sampleValue(after, 'plant_twin_commands_total', confirm)).toBe(starts + 1);
    op.close();
  });

  it('counts a raised alarm as a transition and shows it by state and priority', async () => {
    const raised = { to: 'unacknowledged', priority: 'high' };
    const before = sampleValue(await scrape(), 'plant_twin_alarm_transitions_total', raised);
    const conveyors = server.session.layout.equipment.filter((e) => e.kind === 'conveyor').map((e) => e.id);
    let eq = '';
    // A conveyor jams only while its line runs: try until one does.
    for (let i = 0; i < 50 && !eq; i++) {
      eq = conveyors.find((id) => injectFault(server.session.world, id)) ?? '';
      if (!eq) await sleep(100);
    }
    expect(eq).not.toBe('');
    await scrapeUntil(
      (x) => sampleValue(x, 'plant_twin_alarm_transitions_total', raised) > before,
      'the jam alarm to be counted',
    );
    // The gauge is read from the alarm book at scrape time: it matches the plant's alarms (polled,
    // since a tick may change them between the scrape and the comparison).
    const unackedHigh = { state: 'unacknowledged', priority: 'high' };
    await scrapeUntil((x) => {
      const current = server.session.alarms!.current();
      const high = current.filter((a) => a.state === 'unacknowledged' && a.priority === 'high').length;
      return (
        current.length >= 1 &&
        sampleSum(x, 'plant_twin_alarms') === current.length &&
        sampleValue(x, 'plant_twin_alarms', unackedHigh) === high
      );
    }, 'the alarms gauge to match the alarm book');
  });

  it('counts a failed login by its reason', async () => {
    const wrong = { reason: 'wrong_credentials' };
    const before = sampleValue(await scrape(), 'plant_twin_failed_logins_total', wrong);
    const res = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'nobody-here', password: 'not-the-password' }),
    });
    expect(res.status).toBe(401);
    expect(sampleValue(await scrape(), 'plant_twin_failed_logins_total', wrong)).toBe(before + 1);
  });

  it('counts the bytes the live recording writes', async () => {
    const before = sampleValue(await scrape(), 'plant_twin_recording_bytes_written_total', { kind: 'live' });
    await scrapeUntil(
      (m) => sampleValue(m, 'plant_twin_recording_bytes_written_total', { kind: 'live' }) > before,
      'recorded bytes to grow',
    );
  });
});

describe('a server without a metrics token', () => {
  it('serves the metrics to admins only', async () => {
    const s = await startTestServer({ seed: 4 });
    try {
      const admin = await s.login('admin');
      const ok = await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${admin}` } });
      expect(ok.status).toBe(200);
      const refused = await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(refused.status).toBe(401);
    } finally {
      await s.close();
    }
  });
});
