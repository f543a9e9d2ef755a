import type { Server, Socket } from 'socket.io';
import type {
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
} from '../../protocol';

/** The typed Socket.IO server (DESIGN principle 3). */
export type TwinServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type TwinSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
