import type {
  AckTiming,
  ExpectationResult,
  Mistake,
  RecordedCommand,
  Role,
  ScenarioSummary,
  TrainingState,
} from '../../protocol';
import { type ApiResult, toApiResult } from '../auth/api';
import { useAuthStore } from '../auth/authStore';

/** One trainee's debrief (`GET /api/sessions/:id/report`, server/training/report.ts). */
export interface TraineeReport {
  user: string;
  role: Role;
  met: number;
  total: number;
  acks: number;
  commands: number;
  results: ExpectationResult[];
  /** In time order (absent from servers before the debrief listed them). */
  acknowledgements?: AckTiming[];
  commandsSent?: RecordedCommand[];
  mistakes?: Mistake[];
}

/** `GET /api/sessions/:id/report`. */
export interface SessionReport {
  id: string;
  scenarioId: string;
  scenarioName: string;
  seed: number;
  run: number;
  simTimeS: number;
  finished: boolean;
  trainees: TraineeReport[];
}

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
  // A token the server no longer knows: back to the login page.
  if (!r.ok && r.code === 'UNAUTHENTICATED')
    useAuthStore.getState().signOut({ reason: 'ended', message: r.message });
  return r;
}

/** `GET /api/scenarios`. */
export const fetchScenarios = () => call<{ scenarios: ScenarioSummary[] }>('/api/scenarios');

/** `GET /api/sessions`. */
export const fetchSessions = () => call<{ sessions: TrainingState[]; max: number }>('/api/sessions');

/** `POST /api/sessions { scenario, seed?, speed? }`. */
export const createSession = (req: { scenario: string; seed?: number; speed?: number }) =>
  call<{ id: string; code: string }>('/api/sessions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(req),
  });

/** `DELETE /api/sessions/:id`: ends the session for everyone in it. */
export const endSession = (id: string) =>
  call<{ id: string }>(`/api/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' });

/** `GET /api/sessions/:id/report`. */
export const fetchReport = (id: string) =>
  call<SessionReport>(`/api/sessions/${encodeURIComponent(id)}/report`);
