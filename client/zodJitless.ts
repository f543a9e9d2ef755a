/**
 * `zod` as the client bundle sees it (vite.config.ts aliases the bare specifier here): the real zod,
 * switched to jitless parsing before any schema exists. Zod otherwise probes whether it may compile
 * parsers with `new Function`; the page's Content-Security-Policy forbids eval, and Chromium reports
 * even that caught probe as a CSP violation. Every module that imports 'zod' runs after this one.
 */
import { config } from 'zod/v4';

config({ jitless: true });

export * from 'zod/v4';
export { default } from 'zod/v4';
