import type { PlantSession, TickOutput } from '../session/plantSession';
import { LIVE_ROOM } from './alarmHandlers';
import { type GuardDeps, guardedOn } from './guard';
import type { TwinServer, TwinSocket } from './types';

/** Room of the clients watching the live plant (training sessions get rooms of their own later). */
export { LIVE_ROOM };

/**
 * Wires one connected (already authenticated) socket to the live plant: snapshot on connect, resync
 * on request through the request pipeline (it needs plant:watch and counts against the rate limit).
 */
export function attachPlantSocket(socket: TwinSocket, session: PlantSession, deps: GuardDeps): void {
  socket.join(LIVE_ROOM);
  socket.emit('plant:snapshot', session.snapshot());
  guardedOn(
    socket,
    'plant:resync',
    {
      permission: 'plant:watch',
      schema: null,
      run: () => {
        socket.emit('plant:snapshot', session.snapshot());
        return { ok: true, seq: session.seq };
      },
    },
    deps,
  );
}

/** Sends what one tick produced to the live room: the frame volatile, events and KPIs reliable. */
export function broadcastTick(io: TwinServer, out: TickOutput): void {
  const room = io.to(LIVE_ROOM);
  if (out.frame) io.volatile.to(LIVE_ROOM).emit('telemetry:frame', out.frame);
  for (const e of out.events) room.emit('plant:event', e);
  if (out.kpis) room.emit('kpi:update', out.kpis);
  // Alarm transitions were persisted by the session before it returned them.
  for (const t of out.alarms) room.emit('alarm:changed', t);
}
