import { createServer, type Server, type Socket } from 'node:net';
import { Aedes } from 'aedes';

/** A running embedded broker. */
export interface EmbeddedBroker {
  /** The bound port. */
  readonly port: number;
  /** Disconnects every client and stops listening. */
  close(): Promise<void>;
}

/**
 * Starts an MQTT 3.1.1 broker (aedes over node:net) for a plant without one (`--mqtt-listen PORT`;
 * 0 picks a free port). Anonymous and unencrypted: bind it to a trusted network or 127.0.0.1.
 */
export async function startEmbeddedBroker(port: number, host = '0.0.0.0'): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker();
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    broker.handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close();
        for (const s of sockets) s.destroy();
        broker.close(() => resolve());
      }),
  };
}
