import type { EquipmentDetail, SourceHealth } from '../../protocol';
import { type ApiResult, authorizedCall } from '../auth/api';

/**
 * The ingest read API with the login's bearer token: `GET /api/equipment/:id` (viewer and up) and
 * `GET /api/sources` (operator and up). Never throws; an answer of the wrong shape is a refusal,
 * so a screen never renders half an object.
 */

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** `GET /api/equipment/:id`: one piece of equipment now, with its source, quality and times. */
export async function fetchEquipment(id: string): Promise<ApiResult<{ equipment: EquipmentDetail }>> {
  const r = await authorizedCall<{ equipment: EquipmentDetail }>(`/api/equipment/${encodeURIComponent(id)}`);
  if (r.ok && (!isRecord(r.equipment) || !isRecord(r.equipment.values) || r.equipment.id !== id))
    return { ok: false, code: 'INTERNAL', message: 'Unexpected answer' };
  return r;
}

/** `GET /api/sources`: every source's health (an empty list when the plant is all simulated). */
export async function fetchSources(): Promise<ApiResult<{ sources: SourceHealth[] }>> {
  const r = await authorizedCall<{ sources: SourceHealth[] }>('/api/sources');
  if (r.ok && !Array.isArray(r.sources)) return { ok: false, code: 'INTERNAL', message: 'Unexpected answer' };
  return r;
}
