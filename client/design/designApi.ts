import type { DesignAnswer, DesignSummary, DesignVersion } from '../../protocol';
import { type ApiResult, authorizedCall } from '../auth/api';

/** Design drafts over HTTP (`/api/designs...`, engineers and admins); these never throw. */

const JSON_HEADERS = { 'content-type': 'application/json' };
const path = (id: string) => `/api/designs/${encodeURIComponent(id)}`;

/** `GET /api/designs`, most recently updated first. */
export async function fetchDesigns(): Promise<ApiResult<{ designs: DesignSummary[] }>> {
  const r = await authorizedCall<{ designs: DesignSummary[] }>('/api/designs');
  if (!r.ok) return r;
  const designs = Array.isArray(r.designs) ? [...r.designs] : [];
  designs.sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : 1));
  return { ok: true, designs };
}

/** `POST /api/designs { name }`: a new draft, a copy of the live plant's layout. */
export function createDesign(name: string): Promise<ApiResult<{ design: DesignSummary }>> {
  return authorizedCall('/api/designs', {
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify({ name, from: 'live' }),
  });
}

/** `GET /api/designs/:id`: the draft, its layout and the loader's errors. */
export function fetchDesign(id: string): Promise<ApiResult<Omit<DesignAnswer, 'ok'>>> {
  return authorizedCall(path(id));
}

/** `PUT /api/designs/:id/layout`: the whole layout (last write wins); answers the fresh errors. */
export function saveLayout(id: string, layout: unknown): Promise<ApiResult<Omit<DesignAnswer, 'ok'>>> {
  return authorizedCall(`${path(id)}/layout`, {
    method: 'PUT',
    headers: JSON_HEADERS,
    body: JSON.stringify({ layout }),
  });
}

/** `POST /api/designs/:id/versions { message }`: the draft as stored now becomes a version. */
export function saveVersion(id: string, message: string): Promise<ApiResult<{ version: DesignVersion }>> {
  return authorizedCall(`${path(id)}/versions`, {
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify({ message }),
  });
}
