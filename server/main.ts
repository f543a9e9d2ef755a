/**
 * Entry point: signal handlers first, then everything else. The composition (config -> plant ->
 * session -> app -> listen) lives in serve.ts and loads only after the handlers are in place, so
 * SIGTERM or SIGINT at any moment of start-up ends the process with status 0.
 */
import { installShutdown } from './shutdown';

installShutdown();
// Stack traces point at the TypeScript sources when running the bundle (dist/server/*.js.map).
process.setSourceMapsEnabled(true);
await import('./serve');
