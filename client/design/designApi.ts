import type {
  DesignAnswer,
  DesignSummary,
  DesignVersion,
  LayoutDiff,
  WhatIfAnswer,
  WhatIfProgress,
  WhatIfRequest,
} from '../../protocol';
import { type ApiRefusal, type ApiResult, authorizedCall, toApiResult } from '../auth/api';
import { useAuthStore } from '../auth/authStore';

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

/** `GET /api/designs/:id/diff?from=…&to=draft`: what the stored draft changes against `from`. */
export function fetchDiff(id: string, from: string): Promise<ApiResult<{ diff: LayoutDiff }>> {
  return authorizedCall(`${path(id)}/diff?from=${encodeURIComponent(from)}&to=draft`);
}

/** `GET /api/designs/:id/versions`: the draft's saved versions. */
export function fetchVersions(id: string): Promise<ApiResult<{ versions: DesignVersion[] }>> {
  return authorizedCall(`${path(id)}/versions`);
}

/** `GET /api/designs/:id/versions/:vid`: one version's layout. */
export function fetchVersionLayout(id: string, vid: string): Promise<ApiResult<{ layout: unknown }>> {
  return authorizedCall(`${path(id)}/versions/${encodeURIComponent(vid)}`);
}

/** A refused what-if: the refusal, and the draft's errors when it was invalid (422). */
export type WhatIfRefusal = ApiRefusal & { errors?: string[] };

/**
 * `POST /api/designs/:id/whatif`: runs the draft and the live layout (seconds to a minute). Aborting
 * `signal` hangs up, which stops the run on the server; it answers `{ code: 'ABORTED' }` then.
 */
export async function runWhatIf(
  id: string,
  body: WhatIfRequest,
  signal: AbortSignal,
): Promise<({ ok: true } & Omit<WhatIfAnswer, 'ok'>) | WhatIfRefusal | { ok: false; code: 'ABORTED' }> {
  const token = useAuthStore.getState().token;
  if (!token) return { ok: false, code: 'UNAUTHENTICATED', message: 'Not logged in' };
  let res: Response;
  let json: unknown = null;
  try {
    res = await fetch(`${path(id)}/whatif`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, accept: 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
      signal,
    });
    json = await res.json().catch(() => null);
  } catch {
    if (signal.aborted) return { ok: false, code: 'ABORTED' };
    return { ok: false, code: 'OFFLINE', message: 'Cannot reach the server' };
  }
  const r = toApiResult<Omit<WhatIfAnswer, 'ok'>>(res.status, json, res.headers.get('retry-after'));
  if (r.ok) return r;
  const errors = (json as { errors?: unknown } | null)?.errors;
  return Array.isArray(errors) ? { ...r, errors: errors.map(String) } : r;
}

/** `GET /api/designs/:id/whatif`: the progress of this draft's run, if one is going. */
export function fetchWhatIfProgress(id: string): Promise<ApiResult<Omit<WhatIfProgress, 'ok'>>> {
  return authorizedCall(`${path(id)}/whatif`);
}

/**
 * `GET /api/designs/:id/export` with the session's token: the plant file as a Blob and its file name,
 * or the refusal (422: the draft has errors).
 */
export async function fetchExport(id: string): Promise<ApiResult<{ blob: Blob; fileName: string }>> {
  const token = useAuthStore.getState().token;
  if (!token) return { ok: false, code: 'UNAUTHENTICATED', message: 'Not logged in' };
  let res: Response;
  try {
    res = await fetch(`${path(id)}/export`, { headers: { authorization: `Bearer ${token}` } });
  } catch {
    return { ok: false, code: 'OFFLINE', message: 'Cannot reach the server' };
  }
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    return toApiResult(res.status, body, res.headers.get('retry-after')) as ApiRefusal;
  }
  const cd = res.headers.get('content-disposition') ?? '';
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(cd)?.[1];
  let fileName = /filename="([^"]+)"/.exec(cd)?.[1] ?? `${id}.json`;
  try {
    if (utf8) fileName = decodeURIComponent(utf8);
  } catch {
    // A malformed name: the ASCII one stands.
  }
  return { ok: true, blob: await res.blob(), fileName };
}
