import { can, type EquipmentAnswer, type SourcesAnswer } from '../../protocol';
import { equipmentDetail, type Ingest } from '../ingest/ingest';
import type { World } from '../sim/types';
import { type ApiRequest, requirePrincipal } from './authRoutes';
import { sendJson, sendRefusal } from './json';

/** What the ingest read API reads: the live world, its wall time and the ingest (null: all simulated). */
export interface LivePlant {
  world: World;
  /** Wall time of the latest tick, ms since epoch (the stamp of simulated values). */
  wallMs(): number;
  ingest: Ingest | null;
}

const EQUIPMENT_PATH = /^\/api\/equipment\/([^/]{1,80})$/;

/**
 * `GET /api/sources` (operator and up): every source's health; `GET /api/equipment/:id` (viewer
 * and up): one piece of equipment now, received or simulated, with quality and times. False for
 * other paths.
 */
export function handleIngestApi(a: ApiRequest, plant: LivePlant | null): boolean {
  const eqMatch = EQUIPMENT_PATH.exec(a.path);
  if (a.path !== '/api/sources' && !eqMatch) return false;
  const m = a.req.method ?? 'GET';
  if (m !== 'GET' && m !== 'HEAD') {
    sendRefusal(a.res, 405, 'INVALID', 'use GET', { headers: { allow: 'GET' } });
    return true;
  }
  const p = requirePrincipal(a);
  if (!p) return true;
  if (!eqMatch) {
    if (!can(p.role, 'sources:read')) {
      sendRefusal(a.res, 403, 'FORBIDDEN', 'source health is for operators and up');
      return true;
    }
    const body: SourcesAnswer = { ok: true, sources: plant?.ingest?.health() ?? [] };
    sendJson(a.res, 200, body);
    return true;
  }
  let id: string;
  try {
    id = decodeURIComponent(eqMatch[1]);
  } catch {
    sendRefusal(a.res, 400, 'INVALID', 'bad equipment id');
    return true;
  }
  const eq = plant?.world.equipment.find((e) => e.id === id);
  if (!plant || !eq) {
    sendRefusal(a.res, 404, 'NOT_FOUND', `no equipment "${id.slice(0, 80)}"`);
    return true;
  }
  const body: EquipmentAnswer = {
    ok: true,
    equipment: equipmentDetail(plant.world, eq.index, plant.wallMs(), plant.ingest),
  };
  sendJson(a.res, 200, body);
  return true;
}
