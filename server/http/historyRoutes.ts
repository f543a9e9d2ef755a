import { signalIndex, signalsOf, type ValueHistoryAnswer, valueHistoryQuerySchema } from '../../protocol';
import { type ApiRequest, requirePrincipal } from './authRoutes';
import type { LivePlant } from './ingestRoutes';
import { sendJson, sendRefusal } from './json';
import { parseQuery } from './query';

const HISTORY_PATH = /^\/api\/equipment\/([^/]{1,80})\/history$/;

/**
 * `GET /api/equipment/:id/history?signal=S&from=MS&to=MS&limit=N` (viewer and up): the historical
 * and late values of one signal, ordered by source time. Simulated equipment (and a plant without
 * a value history) has none: the answer is an empty list. False for other paths.
 */
export function handleHistoryApi(a: ApiRequest, plant: LivePlant | null): boolean {
  const match = HISTORY_PATH.exec(a.path);
  if (!match) return false;
  const m = a.req.method ?? 'GET';
  if (m !== 'GET' && m !== 'HEAD') {
    sendRefusal(a.res, 405, 'INVALID', 'use GET', { headers: { allow: 'GET' } });
    return true;
  }
  if (!requirePrincipal(a)) return true;
  let id: string;
  try {
    id = decodeURIComponent(match[1]);
  } catch {
    sendRefusal(a.res, 400, 'INVALID', 'bad equipment id');
    return true;
  }
  const eq = plant?.world.equipment.find((e) => e.id === id);
  if (!plant || !eq) {
    sendRefusal(a.res, 404, 'NOT_FOUND', `no equipment "${id.slice(0, 80)}"`);
    return true;
  }
  const q = parseQuery(a.url, valueHistoryQuerySchema);
  if (!q.ok) {
    sendRefusal(a.res, 400, 'INVALID', q.message);
    return true;
  }
  const { signal, from, to, limit } = q.data;
  if (signalIndex(eq.kind, signal) < 0) {
    const keys = signalsOf(eq.kind).map((s) => s.key);
    sendRefusal(
      a.res,
      400,
      'INVALID',
      `signal: "${signal}" is not a signal of a ${eq.kind} (expected one of: ${keys.join(', ')})`,
    );
    return true;
  }
  const store = plant.ingest?.history ?? null;
  const body: ValueHistoryAnswer = {
    ok: true,
    equipment: eq.id,
    signal,
    values: store
      ? store.query({
          equipment: eq.id,
          signal,
          from: from ?? 0,
          to: to ?? Number.MAX_SAFE_INTEGER,
          limit,
        })
      : [],
  };
  sendJson(a.res, 200, body);
  return true;
}
