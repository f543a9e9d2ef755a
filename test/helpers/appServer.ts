import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { createApp } from '../../server/app';
import { CLIENT_DIST } from '../../server/clientBuild';
import { PlantSession } from '../../server/session/plantSession';
import { scaleLayout } from '../../server/sim';
import { defaultLayout } from './server';

/** Starts the real server with the built client (run `npm run build` first; `npm test` does). */
export async function startAppServer(opts: { seed?: number; speed?: number; scale?: number } = {}) {
  if (!existsSync(join(CLIENT_DIST, 'index.html')))
    throw new Error('dist/client is missing: run `npm run build` (npm test builds it first)');
  const base = defaultLayout();
  const layout = opts.scale ? scaleLayout(base, opts.scale) : base;
  const session = new PlantSession(layout, { seed: opts.seed ?? 3, speed: opts.speed ?? 1 });
  const app = createApp({ session, logger: pino({ level: 'silent' }), clientDir: CLIENT_DIST });
  const port = await app.listen(0, '127.0.0.1');
  return { app, session, url: `http://127.0.0.1:${port}` };
}
