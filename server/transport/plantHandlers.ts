import type { PlantSession, TickOutput } from '../session/plantSession';
import { type GuardDeps, guardedOn } from './guard';
import { LIVE_ROOM, type PlantHost } from './plantHost';
import type { TwinServer, TwinSocket } from './types';

/** Room of the clients watching the live plant (training sessions have rooms of their own). */
export { LIVE_ROOM };

/**
 * Wires one connected (already authenticated) socket to its plant (the live one or its training
 * session's): joins the plant's room, snapshot on connect, resync on request through the request
 * pipeline (it needs plant:watch and counts against the rate limit).
 */
export function attachPlantSocket(socket: TwinSocket, host: PlantHost, deps: GuardDeps): void {
  socket.join(host.room);
  socket.emit('plant:snapshot', host.plant().snapshot());
  guardedOn(
    socket,
    'plant:resync',
    {
      permission: 'plant:watch',
      schema: null,
      run: () => {
        const plant: PlantSession = host.plant();
        socket.emit('plant:snapshot', plant.snapshot());
        return { ok: true, seq: plant.seq };
      },
    },
    deps,
  );
}

/**
 * Sends what one tick produced to a plant's room (default the live one): the frame volatile,
 * events, KPIs and alarm transitions reliable.
 */
export function broadcastTick(io: TwinServer, out: TickOutput, roomName: string = LIVE_ROOM): void {
  const room = io.to(roomName);
  if (out.frame) io.volatile.to(roomName).emit('telemetry:frame', out.frame);
  for (const e of out.events) room.emit('plant:event', e);
  if (out.wireKpis) room.emit('kpi:update', out.wireKpis);
  // Alarm transitions were persisted by the session before it returned them.
  for (const t of out.alarms) room.emit('alarm:changed', t);
}
