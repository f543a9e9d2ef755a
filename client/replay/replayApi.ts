import type { BookmarkRequest, RecordingSummary, ReplayBookmark, ReplayTimeline } from '../../protocol';
import { type ApiResult, authorizedCall } from '../auth/api';

const call = authorizedCall;

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
  const body: BookmarkRequest = { simS, label };
  return call<{ bookmark?: ReplayBookmark }>(`/api/recordings/${encodeURIComponent(id)}/bookmarks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
