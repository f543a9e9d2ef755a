import { fileURLToPath } from 'node:url';
import type { TrainingControlRequest, TrainingInjectRequest, TrainingState } from '../../../protocol';
import type { TestClient, TestServer } from '../../helpers/server';
import { type Answer, send } from '../access/support';

/** Folder of the test scenarios (jam-drill: L1-C2 jams at 2 s; acknowledge within 30 s). */
export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** Request rate for tests that click a lot (stepping): roles and sessions are tested, not throttling. */
export const FAST = { requestRate: { perS: 10_000, burst: 10_000 } };

/** An HTTP answer: status and parsed JSON body. */
export interface HttpAnswer {
  status: number;
  body: Record<string, unknown> & { ok: boolean; code?: string; message?: string };
}

/** Calls the server's HTTP API with an optional bearer token and JSON body. */
export async function api(
  server: TestServer,
  method: string,
  path: string,
  token?: string | null,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  const h: Record<string, string> = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  if (body !== undefined && !h['content-type']) h['content-type'] = 'application/json';
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: h,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as HttpAnswer['body'] };
}

/**
 * `api`, waiting out the per-user HTTP rate (20/s, bursts of 40; tests cannot change it) when a
 * long list of cases meets it: for tests about something else than throttling.
 */
export async function apiPatient(...args: Parameters<typeof api>): Promise<HttpAnswer> {
  for (;;) {
    const r = await api(...args);
    if (r.status !== 429) return r;
    await new Promise((done) => setTimeout(done, Number(r.body.retryAfterMs ?? 50)));
  }
}

/** Creates a session of `scenario` as a fresh trainer login; resolves with its id and code. */
export async function createSession(
  server: TestServer,
  scenario = 'jam-drill',
  extra: { seed?: number; speed?: number } = {},
): Promise<{ id: string; code: string }> {
  const token = await server.login('trainer');
  const r = await api(server, 'POST', '/api/sessions', token, { scenario, ...extra });
  if (r.status !== 201) throw new Error(`could not create a session: ${JSON.stringify(r.body)}`);
  return { id: r.body.id as string, code: r.body.code as string };
}

/** Sends `training:control`. */
export function control(c: TestClient, req: TrainingControlRequest): Promise<Answer> {
  return send(c, 'training:control', req);
}

/** Sends `training:inject`. */
export function inject(c: TestClient, req: TrainingInjectRequest): Promise<Answer> {
  return send(c, 'training:inject', req);
}

/** The state in an accepted control answer. */
export function stateOf(a: Answer): TrainingState {
  if (!a.ok) throw new Error(`expected an accepted control, got ${JSON.stringify(a)}`);
  return (a as unknown as { state: TrainingState }).state;
}

/** Everything a client receives of `event`, from now on. */
export function collect<T>(c: TestClient, event: string): T[] {
  const seen: T[] = [];
  (c as unknown as { on: (e: string, f: (v: T) => void) => void }).on(event, (v) => seen.push(v));
  return seen;
}

/** Resolves once `pred` holds (polled every 20 ms); rejects after `ms`. */
export async function until(pred: () => boolean, ms = 10_000, what = 'the condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Steps a paused session `n` times (one simulation step of 0.1 s each). */
export async function stepTimes(c: TestClient, n: number): Promise<TrainingState> {
  let last: Answer | null = null;
  for (let i = 0; i < n; i++) last = await control(c, { action: 'step' });
  if (!last) throw new Error('no step taken');
  return stateOf(last);
}
