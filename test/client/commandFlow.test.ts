import { describe, expect, it } from 'vitest';
import { createCommandFlow, OUTCOME_SHOW_MS } from '../../client/hud/commands/commandFlow';
import { confirmQuestion, outcomeView } from '../../client/hud/commands/commandText';
import { translate } from '../../client/i18n/messages';
import { type CommandResult, newCommandId, withOneRetry } from '../../client/net/commandActions';
import type { EquipmentCommandRequest } from '../../protocol';

/** A fake server: answers each request with the next scripted answer and records what it got. */
function fakeServer(answers: CommandResult[]) {
  const got: EquipmentCommandRequest[] = [];
  return {
    got,
    send: async (req: EquipmentCommandRequest) => {
      got.push(structuredClone(req));
      const a = answers.shift();
      if (!a) throw new Error('unexpected request');
      return a;
    },
  };
}

/** A manual clock and timer queue. */
function manualTime(start = 1_000_000) {
  let now = start;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let ids = 0;
  return {
    now: () => now,
    setTimer: (fn: () => void, ms: number) => {
      const id = ++ids;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimer: (h: unknown) => {
      timers = timers.filter((t) => t.id !== h);
    },
    advance(ms: number) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      for (const t of due) t.fn();
    },
  };
}

const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
  translate('en', key, params);
let n = 0;
const newId = () => `cmd-${++n}`;

describe('command flow', () => {
  it('sends a one-click command once and shows the server’s answer', async () => {
    const server = fakeServer([{ ok: true, commandId: 'x', message: 'L1-R2 emergency-stopped' }]);
    const flow = createCommandFlow({ send: server.send, newId, ...manualTime() });
    await flow.send('L1-R2', 'e-stop');
    expect(server.got).toHaveLength(1);
    expect(server.got[0]).toMatchObject({ equipmentId: 'L1-R2', action: 'e-stop' });
    expect(server.got[0].confirmation).toBeUndefined();
    const s = flow.getState();
    expect(s.phase).toBe('done');
    expect(outcomeView(s, t, 0)).toEqual({ tone: 'ok', text: 'L1-R2 emergency-stopped' });
  });

  it('asks for confirmation when the server requires it and re-sends the same command id with it', async () => {
    const time = manualTime();
    const server = fakeServer([
      {
        ok: false,
        code: 'CONFIRMATION_REQUIRED',
        message: 'confirm',
        confirmation: 'tok-1',
        confirmationExpiresAt: time.now() + 30_000,
      },
      { ok: true, commandId: 'x', message: 'AGV-03 sent to node RK-01-P' },
    ]);
    const flow = createCommandFlow({ send: server.send, newId, ...time });
    await flow.send('AGV-03', 'go-to', { node: 'RK-01-P' });
    const s = flow.getState();
    if (s.phase !== 'confirm') throw new Error(`expected confirm, got ${s.phase}`);
    expect(s.deadline).toBe(time.now() + 30_000);
    expect(confirmQuestion(t, s.req, 'AGV-03', (id) => `Rack 01 · ${id}`)).toBe(
      'Send AGV-03 to Rack 01 · RK-01-P?',
    );
    await flow.confirm();
    expect(server.got).toHaveLength(2);
    expect(server.got[1]).toEqual({ ...server.got[0], confirmation: 'tok-1' });
    expect(server.got[1].commandId).toBe(server.got[0].commandId);
    expect(flow.getState().phase).toBe('done');
  });

  it('gives every new command a fresh id', async () => {
    const server = fakeServer([
      { ok: true, commandId: 'a', message: 'a' },
      { ok: true, commandId: 'b', message: 'b' },
    ]);
    const flow = createCommandFlow({ send: server.send, newId: newCommandId, ...manualTime() });
    await flow.send('L1-C1', 'stop');
    await flow.send('L1-C1', 'stop');
    expect(server.got[0].commandId).not.toBe(server.got[1].commandId);
    expect(server.got[0].commandId).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });

  it('lets a confirmation lapse after its time and says nothing was carried out', async () => {
    const time = manualTime();
    const server = fakeServer([
      {
        ok: false,
        code: 'CONFIRMATION_REQUIRED',
        message: 'confirm',
        confirmation: 'tok',
        confirmationExpiresAt: time.now() + 30_000,
      },
    ]);
    const flow = createCommandFlow({ send: server.send, newId, ...time });
    await flow.send('L2', 'start');
    time.advance(29_000);
    expect(flow.getState().phase).toBe('confirm');
    time.advance(1_000);
    const s = flow.getState();
    expect(s.phase).toBe('expired');
    expect(outcomeView(s, t, time.now())?.text).toMatch(/expired/);
    await flow.confirm(); // too late: nothing is sent
    expect(server.got).toHaveLength(1);
    time.advance(OUTCOME_SHOW_MS);
    expect(flow.getState().phase).toBe('idle');
  });

  it('drops a pending confirmation when a safety stop is sent meanwhile', async () => {
    const time = manualTime();
    const server = fakeServer([
      {
        ok: false,
        code: 'CONFIRMATION_REQUIRED',
        message: 'c',
        confirmation: 'tok',
        confirmationExpiresAt: 0,
      },
      { ok: true, commandId: 'x', message: 'stopped' },
    ]);
    const flow = createCommandFlow({ send: server.send, newId, ...time });
    await flow.send('L1', 'start');
    expect(flow.getState().phase).toBe('confirm');
    await flow.send('L1', 'e-stop');
    expect(flow.getState().phase).toBe('done');
    await flow.confirm();
    expect(server.got.map((r) => r.action)).toEqual(['start', 'e-stop']);
  });

  it('shows a rate limit with the wait, and other refusals with the server’s message', () => {
    const req = { commandId: 'c', equipmentId: 'AGV-01', action: 'dock' as const };
    expect(
      outcomeView(
        {
          phase: 'done',
          req,
          result: { ok: false, code: 'RATE_LIMITED', message: 'slow', retryAfterMs: 2300 },
        },
        t,
        0,
      ),
    ).toEqual({ tone: 'error', text: 'Too many commands: wait 3 s.' });
    expect(
      outcomeView(
        { phase: 'done', req, result: { ok: false, code: 'CONFLICT', message: 'AGV-01 is busy' } },
        t,
        0,
      ),
    ).toEqual({ tone: 'error', text: 'Refused: AGV-01 is busy' });
  });
});

describe('command retry', () => {
  it('retries once after a timeout, with the same request', async () => {
    const calls: number[] = [];
    const r = await withOneRetry<{ commandId: string; message: string }>(async () => {
      calls.push(calls.length);
      return calls.length === 1
        ? { ok: false, code: 'TIMEOUT', message: 'late' }
        : { ok: true, commandId: 'c', message: 'done' };
    });
    expect(calls).toHaveLength(2);
    expect(r.ok).toBe(true);
  });

  it('does not retry twice, nor after a real refusal', async () => {
    let calls = 0;
    const late = await withOneRetry(async () => {
      calls++;
      return { ok: false as const, code: 'TIMEOUT' as const, message: 'late' };
    });
    expect(calls).toBe(2);
    expect(late.ok).toBe(false);
    calls = 0;
    await withOneRetry(async () => {
      calls++;
      return { ok: false as const, code: 'FORBIDDEN' as const, message: 'no' };
    });
    expect(calls).toBe(1);
  });
});
