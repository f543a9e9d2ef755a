import type { Logger } from 'pino';
import type { AckResult } from '../../protocol';
import type { PlantSession, TickOutput } from '../session/plantSession';
import { LIVE_ROOM } from './alarmHandlers';
import type { TwinServer, TwinSocket } from './types';

/** Room of the clients watching the live plant (training sessions get rooms of their own later). */
export { LIVE_ROOM };

/** Calls an acknowledgement only if the client sent one (a payload in its place is ignored). */
function reply<T extends object>(ack: unknown, result: AckResult<T>): void {
  if (typeof ack === 'function') ack(result);
}

/** Wires one connected socket to the live plant: snapshot on connect, resync on request. */
export function attachPlantSocket(socket: TwinSocket, session: PlantSession, log: Logger): void {
  socket.join(LIVE_ROOM);
  socket.emit('plant:snapshot', session.snapshot());
  socket.on('plant:resync', (...args: unknown[]) => {
    try {
      socket.emit('plant:snapshot', session.snapshot());
      reply(args[args.length - 1], { ok: true, seq: session.seq });
    } catch (err) {
      log.error({ err }, 'resync failed');
      reply(args[args.length - 1], { ok: false, code: 'INTERNAL', message: 'resync failed' });
    }
  });
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
