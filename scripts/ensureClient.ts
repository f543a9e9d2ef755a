/**
 * `npm start` runs this first: builds the client when dist/client is missing or older than its
 * sources, so a fresh clone needs only `npm install` and `npm start`.
 */
import { build } from 'vite';
import { clientBuildIsStale, ROOT } from '../server/clientBuild';

if (clientBuildIsStale()) {
  console.log('Building the client (first start or sources changed)...');
  await build({ configFile: `${ROOT}/vite.config.ts`, logLevel: 'warn' });
}
