import type { RecordingSummary, ReplayBookmark, ReplayTimeline } from '../../protocol';
import { type ApiResult, toApiResult } from '../auth/api';
import { useAuthStore } from '../auth/authStore';

async function call<T extends object>(path: string, init: RequestInit = {}): Promise<ApiResult<T>> {
  const token = useAuthStore.getState().token;
  if (!token) return { ok: false, code: 'UNAUTHENTICATED', message: 'Not logged in' };
  let res: Response;
  try {
    res = await fetch(path, {
      ...init,
      headers: { accept: 'application/json', authorization: `Bearer ${token}`, ...init.headers },
    });
  } catch {
    return { ok: false, code: 'OFFLINE', message: 'Cannot reach the server' };
  }
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON: the status decides.
  }
  const r = toApiResult<T>(res.status, body, res.headers.get('retry-after'));
  if (!r.ok && r.code === 'UNAUTHENTICATED')
    useAuthStore.getState().signOut({ reason: 'ended', message: r.message });
  return r;
}

/** `GET /api/recordings`, newest first. */
export async function fetchRecordings(): Promise<ApiResult<{ recordings: RecordingSummary[] }>> {
  const r = await call<{ recordings: RecordingSummary[] }>('/api/recordings');
  if (!r.ok) return r;
  return { ok: true, recordings: newestFirst(Array.isArray(r.recordings) ? r.recordings : []) };
}

/** Recordings sorted newest first (by start, then id). */
export function newestFirst(list: readonly RecordingSummary[]): RecordingSummary[] {
  return [...list].sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? 1 : -1));
}

/** `GET /api/recordings/:id/timeline` (the timeline, bare or wrapped in `{ ok, timeline }`). */
export async function fetchTimeline(id: string): Promise<ApiResult<{ timeline: ReplayTimeline }>> {
  const r = await call<ReplayTimeline & { timeline?: ReplayTimeline }>(
    `/api/recordings/${encodeURIComponent(id)}/timeline`,
  );
  if (!r.ok) return r;
  return { ok: true, timeline: r.timeline ?? r };
}

/** `POST /api/recordings/:id/bookmarks { simS, label }`. */
export function addBookmark(
  id: string,
  simS: number,
  label: string,
): Promise<ApiResult<{ bookmark?: ReplayBookmark }>> {
  return call<{ bookmark?: ReplayBookmark }>(`/api/recordings/${encodeURIComponent(id)}/bookmarks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ simS, label }),
  });
}
