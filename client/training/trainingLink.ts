import type { TrainingControlRequest, TrainingInjectRequest, TrainingState } from '../../protocol';
import type { TwinConnection } from '../net/connectTwin';
import { type ActionResult, request } from '../net/request';
import { usePlantStore } from '../state/plantStore';
import { trainingEvents, useTrainingStore } from './trainingStore';

/** Wait for the server to answer a training request, ms. */
const TRAINING_TIMEOUT_MS = 5000;

/** How often a paused session's picture is marked current, ms (under the buffer's stale limit). */
const HOLD_MS = 400;

/**
 * Wires a plant connection that joined a training session (`auth.session`) to the training store:
 * state, steps, activity, the end of the session, and an unknown code (NOT_FOUND), which stops
 * the connection for good (connectTwin would otherwise retry it). The server sends no telemetry
 * while a session is paused (or not started), yet the frozen picture is current, not stale: while
 * connected and not running, the buffer is marked fresh so the plant is not dimmed as "Stale data".
 * Returns the detach function.
 */
export function attachTraining(connection: TwinConnection): () => void {
  const { socket } = connection;
  socket.on('training:state', (state) => {
    trainingEvents.state(state);
    // The top bar's speed reads the plant store (set by snapshots); keep it in step.
    if (usePlantStore.getState().speed !== state.speed) usePlantStore.setState({ speed: state.speed });
  });
  socket.on('training:step', (step) => trainingEvents.step(step));
  socket.on('training:activity', (a) => trainingEvents.activity(a));
  socket.on('training:ended', (info) => {
    trainingEvents.ended(info);
    // The server disconnects right after: no reconnect to a session that is gone.
    connection.close();
  });
  socket.on('connect_error', (err) => {
    const data = (err as { data?: { code?: unknown; message?: unknown } }).data;
    if (data?.code !== 'NOT_FOUND') return;
    trainingEvents.failed({
      code: 'NOT_FOUND',
      message: typeof data.message === 'string' ? data.message : 'no such training session',
    });
    connection.close();
  });
  const hold = setInterval(() => {
    const st = useTrainingStore.getState().state;
    const buffer = usePlantStore.getState().buffer;
    if (st && !st.running && socket.connected && buffer && buffer.lastFrameAt > 0)
      buffer.lastFrameAt = performance.now();
  }, HOLD_MS);
  return () => clearInterval(hold);
}

/** `training:control`: start, pause, resume, step, speed or restart the session. */
export function trainingControl(
  req: TrainingControlRequest,
): Promise<ActionResult<{ state: TrainingState }>> {
  return request<{ state: TrainingState }>(
    (s, done) => s.timeout(TRAINING_TIMEOUT_MS).emit('training:control', req, done),
    `${req.action} the session`,
  ).then((r) => {
    if (r.ok) trainingEvents.state(r.state);
    return r;
  });
}

/** `training:inject`: a fault by hand, or the end of the injected faults on equipment (or a line). */
export function trainingInject(
  req: TrainingInjectRequest,
): Promise<ActionResult<{ message: string; simTimeS: number }>> {
  return request<{ message: string; simTimeS: number }>(
    (s, done) => s.timeout(TRAINING_TIMEOUT_MS).emit('training:inject', req, done),
    'inject the fault',
  );
}
