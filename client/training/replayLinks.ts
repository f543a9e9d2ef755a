import type { RecordingSummary } from '../../protocol';
import { replayHref } from '../replay/replayPath';

/**
 * The recording of training session `sessionId` that holds simulation time `simS`: among the
 * session's recordings (one per run), the newest one whose extent covers it, else the newest.
 */
export function recordingFor(
  recordings: readonly RecordingSummary[],
  sessionId: string,
  simS: number,
): RecordingSummary | null {
  const mine = recordings
    .filter((r) => r.kind === 'training' && r.sessionId === sessionId)
    .sort((a, b) => b.startedAt - a.startedAt);
  return mine.find((r) => simS >= r.fromSimS - 1e-6 && simS <= r.toSimS + 1e-6) ?? mine[0] ?? null;
}

/** The replay link of a session moment, or null when no recording of the session exists. */
export function replayLinkFor(
  recordings: readonly RecordingSummary[],
  sessionId: string,
  simS: number,
): string | null {
  const rec = recordingFor(recordings, sessionId, simS);
  return rec ? replayHref(rec.id, simS) : null;
}
