import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectClient,
  handshakeRefusal,
  nextEvent,
  startTestServer,
  type TestClient,
  type TestServer,
} from '../../helpers/server';
import { command, newCommandId } from './support';

/** Login sessions of the first server last this long, ms. */
const TTL_MS = 60_000;

let server: TestServer;
let open: TestServer;
/** Added to the real clock of `server` (ms): moving it on expires tokens. */
let offset = 0;
const clients: TestClient[] = [];

beforeAll(async () => {
  server = await startTestServer({ sessionTtlMs: TTL_MS, now: () => Date.now() + offset });
  open = await startTestServer({
    security: { allowOrigins: ['https://hmi.example'], publicShowcase: true },
  });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server?.close();
  await open?.close();
});

/** Connects and resolves once the first snapshot arrived (the socket was let in). */
async function admitted(url: string, auth: Record<string, unknown>, headers?: Record<string, string>) {
  const c = connectClient(url, auth, headers);
  clients.push(c);
  await nextEvent(c, 'plant:snapshot');
  return c;
}

describe('the Socket.IO handshake', () => {
  it('refuses a connection without a token', async () => {
    const r = await handshakeRefusal(server.url);
    expect(r).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/no token/) });
  });

  it('refuses a token that is not one, and a tampered one', async () => {
    expect(await handshakeRefusal(server.url, { token: 'not-a-token' })).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/invalid/),
    });
    const token = await server.login('viewer');
    const [body, sig] = token.split('.');
    const flipped = `${body}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await handshakeRefusal(server.url, { token: flipped })).toMatchObject({ code: 'UNAUTHENTICATED' });
    // A viewer's token rewritten to claim admin keeps the viewer's signature: refused.
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    const forged = `${Buffer.from(JSON.stringify({ ...claims, r: 'admin' })).toString('base64url')}.${sig}`;
    expect(await handshakeRefusal(server.url, { token: forged })).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await handshakeRefusal(server.url, { token: 42 })).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses an expired token', async () => {
    const token = await server.login('operator');
    await admitted(server.url, { token });
    offset += TTL_MS + 1000;
    try {
      expect(await handshakeRefusal(server.url, { token })).toMatchObject({
        code: 'UNAUTHENTICATED',
        message: expect.stringMatching(/expired/),
      });
    } finally {
      offset = 0;
    }
  });

  it('never reads the token from the query string', async () => {
    const token = await server.login('viewer');
    const r = await handshakeRefusal(server.url, undefined, undefined, { query: { token } });
    expect(r).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/no token/) });
  });

  it('refuses a browser page from another origin even with a good token', async () => {
    const token = await server.login('operator');
    const r = await handshakeRefusal(server.url, { token }, { origin: 'http://evil.example' });
    expect(r).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/origin not allowed/) });
    // A look-alike of the server's own origin is another origin.
    const host = new URL(server.url).host;
    expect(
      await handshakeRefusal(server.url, { token }, { origin: `http://${host}.evil.example` }),
    ).toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('lets in the server’s own origin, an allowed origin, and clients that send no Origin', async () => {
    const token = await server.login('viewer');
    await admitted(server.url, { token }, { origin: server.url });
    await admitted(server.url, { token });
    const other = await open.login('viewer');
    await admitted(open.url, { token: other }, { origin: 'https://hmi.example' });
    expect(
      await handshakeRefusal(open.url, { token: other }, { origin: 'https://hmi.example.org' }),
    ).toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('lets a public showcase viewer watch only when the server allows it, and only watch', async () => {
    expect(await handshakeRefusal(server.url, { showcase: true })).toMatchObject({ code: 'UNAUTHENTICATED' });
    const viewer = await admitted(open.url, { showcase: true });
    await nextEvent(viewer, 'telemetry:frame');
    const arm = open.session.layout.equipment.find((e) => e.kind === 'robot-arm')!.id;
    expect(
      await command(viewer, { commandId: newCommandId(), equipmentId: arm, action: 'e-stop' }),
    ).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    expect(
      await handshakeRefusal(open.url, { showcase: true }, { origin: 'http://evil.example' }),
    ).toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});
