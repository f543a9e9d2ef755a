import type { ServerResponse } from 'node:http';

/** What the security headers depend on (from the command line). */
export interface SecurityHeaderOptions {
  /** Origins allowed to connect besides the server's own (`--allow-origin`). */
  allowOrigins?: readonly string[];
  /** Origins allowed to embed the pages in a frame (`--frame-ancestors`); empty: nobody may. */
  frameAncestors?: readonly string[];
  /** Served over TLS by this process (`--tls-cert`/`--tls-key`): adds Strict-Transport-Security. */
  tls?: boolean;
  /** Vite's development middleware serves the client (`--dev`): the policy is relaxed for HMR. */
  dev?: boolean;
}

/** HSTS lifetime: one year, seconds (the common preload-list minimum). */
const HSTS_MAX_AGE_S = 31_536_000;

/**
 * Browser features the twin never uses, switched off for its pages and anything they embed. Only
 * features Chromium recognizes are listed: an unknown one is a console error on every page load.
 */
const DENIED_FEATURES = [
  'accelerometer',
  'autoplay',
  'camera',
  'display-capture',
  'geolocation',
  'gyroscope',
  'hid',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'publickey-credentials-get',
  'screen-wake-lock',
  'serial',
  'usb',
  'xr-spatial-tracking',
];

/** `http://h:p` -> `ws://h:p`, `https://h` -> `wss://h` (Socket.IO's WebSocket to that origin). */
const wsForm = (origin: string) => origin.replace(/^http/, 'ws');

/** The Content-Security-Policy value for these options. */
export function contentSecurityPolicy(o: SecurityHeaderOptions = {}): string {
  const allow = o.allowOrigins ?? [];
  const ancestors = o.frameAncestors ?? [];
  // 'self' covers the page's own ws:/wss: in CSP Level 3 browsers; the allowed origins are listed in
  // both forms because Socket.IO may poll over HTTP before it upgrades to a WebSocket.
  const connect = ["'self'", ...allow.flatMap((a) => [a, wsForm(a)])];
  // 'wasm-unsafe-eval' lets the page compile WebAssembly, and nothing else (no JS eval): three's
  // meshopt decoder compiles the module it ships in the bundle to unpack uploaded plant models.
  const script = ["'self'", "'wasm-unsafe-eval'"];
  const style = ["'self'"];
  if (o.dev) {
    // Development only: Vite injects an inline module script (the React Fast Refresh preamble),
    // serves CSS as <style> elements it inserts, and its HMR client opens a WebSocket of its own
    // (port 24678 in middleware mode), so inline scripts and styles and any ws:/wss: are allowed. A
    // production build has no inline script or style at all.
    script.push("'unsafe-inline'");
    style.push("'unsafe-inline'");
    connect.push('ws:', 'wss:');
  }
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    ['script-src', script],
    // No 'unsafe-inline' needed for styles: the built client has no inline <style>, and React and
    // three.js set element styles through the CSSOM (element.style), which CSP does not restrict.
    ['style-src', style],
    // data: for the inline favicon and generated textures; blob: for textures three.js decodes from
    // memory (GLTF images).
    ['img-src', ["'self'", 'data:', 'blob:']],
    ['font-src', ["'self'", 'data:']],
    ['connect-src', connect],
    // No worker-src: the built client starts no Web Worker, so workers fall back to script-src 'self'.
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'self'"]],
    ['frame-ancestors', ancestors.length ? [...ancestors] : ["'none'"]],
  ];
  return directives.map(([name, values]) => `${name} ${values.join(' ')}`).join('; ');
}

/**
 * The headers every HTTP response carries (computed once at start): CSP, anti-framing, no MIME
 * sniffing, no referrer, no powerful features, a page group of its own, and HSTS over TLS.
 */
export function securityHeaders(o: SecurityHeaderOptions = {}): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {
    'content-security-policy': contentSecurityPolicy(o),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'permissions-policy': DENIED_FEATURES.map((f) => `${f}=()`).join(', '),
    'cross-origin-opener-policy': 'same-origin',
  };
  // Browsers without frame-ancestors honour only X-Frame-Options, which cannot list origins: DENY
  // when nobody may frame the pages, and nothing when --frame-ancestors allows some (CSP decides).
  if (!o.frameAncestors?.length) headers['x-frame-options'] = 'DENY';
  // Only over TLS: HSTS on plain HTTP is ignored by browsers, and behind a TLS-terminating proxy the
  // proxy sets it.
  if (o.tls) headers['strict-transport-security'] = `max-age=${HSTS_MAX_AGE_S}`;
  return Object.freeze(headers);
}

/** Sets `headers` on a response before anything writes it (writeHead merges them with its own). */
export function applyHeaders(res: ServerResponse, headers: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
}
