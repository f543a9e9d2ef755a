import type {
  ScenarioSummary,
  TraineeReport,
  TrainingSessionCreateRequest,
  TrainingState,
} from '../../protocol';
import { authorizedCall } from '../auth/api';

export type { TraineeReport };

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

const call = authorizedCall;

/** `GET /api/scenarios`. */
export const fetchScenarios = () => call<{ scenarios: ScenarioSummary[] }>('/api/scenarios');

/** `GET /api/sessions`. */
export const fetchSessions = () => call<{ sessions: TrainingState[]; max: number }>('/api/sessions');

/** `POST /api/sessions { scenario, seed?, speed? }`. */
export const createSession = (req: TrainingSessionCreateRequest) =>
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
