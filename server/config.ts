import { parseArgs } from 'node:util';
import { z } from 'zod';
import { formatPath, MAX_SPEED, MIN_SPEED } from '../protocol';

/** Largest plant --scale builds (the wire's equipment index is 16-bit). */
export const MAX_SCALE = 60_000;
/** Login session life limits, hours (3 min to a week). */
export const MIN_SESSION_HOURS = 0.05;
export const MAX_SESSION_HOURS = 168;
/** Recording retention limits, hours (6 min to a year). */
export const MIN_RETENTION_HOURS = 0.1;
export const MAX_RETENTION_HOURS = 8760;
/** Shortest `--metrics-token`, characters (guessing stays hopeless). */
export const MIN_METRICS_TOKEN = 16;

/** One allowed browser origin: `http(s)://host[:port]`, normalized as browsers send it. */
const origin = z.string().transform((s, ctx) => {
  let u: URL | null = null;
  try {
    u = new URL(s);
  } catch {}
  if (
    !u ||
    (u.protocol !== 'http:' && u.protocol !== 'https:') ||
    u.pathname !== '/' ||
    u.search ||
    u.hash ||
    u.username ||
    u.password
  ) {
    ctx.addIssue({
      code: 'custom',
      message: `"${s}" is not an origin: expected http(s)://host[:port] with no path`,
    });
    return z.NEVER;
  }
  return u.origin;
});

const configSchema = z.object({
  port: z.coerce
    .number({ error: 'expected a port number' })
    .int({ error: 'expected a whole port number' })
    .min(0, { error: 'expected a port between 0 and 65535' })
    .max(65535, { error: 'expected a port between 0 and 65535' }),
  host: z.string().min(1),
  plant: z.string().min(1).optional(),
  seed: z.coerce
    .number({ error: 'expected a whole number' })
    .int({ error: 'expected a whole number' })
    .min(0, { error: 'expected a seed >= 0' })
    .max(0xffffffff, { error: 'expected a seed below 2^32' }),
  speed: z.coerce
    .number({ error: 'expected a number' })
    .min(MIN_SPEED, { error: `expected a speed between ${MIN_SPEED} and ${MAX_SPEED}` })
    .max(MAX_SPEED, { error: `expected a speed between ${MIN_SPEED} and ${MAX_SPEED}` }),
  scale: z.coerce
    .number({ error: 'expected a number of pieces of equipment' })
    .int({ error: 'expected a whole number' })
    .min(1, { error: 'expected at least 1' })
    .max(MAX_SCALE, { error: `expected at most ${MAX_SCALE}` })
    .optional(),
  /** Directory of the SQLite database (alarm journal); created if missing. */
  data: z.string().min(1),
  /** Alarm rules file (default assets/alarms/default.json). */
  alarms: z.string().min(1).optional(),
  /** Folder of training scenario files (default assets/scenarios). */
  scenarios: z.string().min(1).optional(),
  dev: z.boolean(),
  /** Browser origins allowed besides the server's own (Socket.IO handshake). */
  allowOrigin: z.array(origin),
  /** Whether the showcase may be watched without logging in (as a viewer). */
  publicShowcase: z.boolean(),
  /** Life of a login session, hours. */
  sessionHours: z.coerce
    .number({ error: 'expected a number of hours' })
    .min(MIN_SESSION_HOURS, {
      error: `expected between ${MIN_SESSION_HOURS} and ${MAX_SESSION_HOURS} hours`,
    })
    .max(MAX_SESSION_HOURS, {
      error: `expected between ${MIN_SESSION_HOURS} and ${MAX_SESSION_HOURS} hours`,
    }),
  /** Record the live plant (training session runs are always recorded). */
  record: z.boolean(),
  /** How long recordings are kept, hours. */
  retentionHours: z.coerce
    .number({ error: 'expected a number of hours' })
    .min(MIN_RETENTION_HOURS, {
      error: `expected between ${MIN_RETENTION_HOURS} and ${MAX_RETENTION_HOURS} hours`,
    })
    .max(MAX_RETENTION_HOURS, {
      error: `expected between ${MIN_RETENTION_HOURS} and ${MAX_RETENTION_HOURS} hours`,
    }),
  /** Bearer token a Prometheus scraper sends to GET /metrics (besides admins' session tokens). */
  metricsToken: z
    .string()
    .min(MIN_METRICS_TOKEN, { error: `expected at least ${MIN_METRICS_TOKEN} characters` })
    .max(1024, { error: 'expected at most 1024 characters' })
    .regex(/^[\x21-\x7e]+$/, { error: 'expected printable ASCII without spaces' })
    .optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  /** Origins that may embed the pages in a frame (CSP frame-ancestors); empty: none may. */
  frameAncestors: z.array(origin),
  /** PEM certificate (chain) and private key files: serve HTTPS (both or neither). */
  tlsCert: z.string().min(1).optional(),
  tlsKey: z.string().min(1).optional(),
  /** Sources file (.yaml/.yml/.json): real equipment fed by MQTT and other protocols. */
  sources: z.string().min(1).optional(),
  /** Run an embedded MQTT 3.1.1 broker on this port (for a plant without a broker). */
  mqttListen: z.coerce
    .number({ error: 'expected a port number' })
    .int({ error: 'expected a whole port number' })
    .min(1, { error: 'expected a port between 1 and 65535' })
    .max(65535, { error: 'expected a port between 1 and 65535' })
    .optional(),
});

/** Validated server configuration. */
export type Config = z.infer<typeof configSchema>;

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

/** The usage text printed for --help and after a configuration error. */
export const USAGE = `Usage: npm start -- [options]

  --port N        HTTP/Socket.IO port (env PORT, default 3000; 0 picks a free port)
  --host ADDR     address to listen on (env HOST, default 0.0.0.0)
  --plant FILE    plant layout JSON (default assets/plants/default.json)
  --seed N        simulation seed; same seed, same run (env SEED, default 1)
  --speed X       simulation time scale, ${MIN_SPEED} to ${MAX_SPEED} (env SPEED, default 1)
  --scale N       repeat the plant in a grid to about N pieces of equipment
  --data DIR      directory of the database: alarms, users, sessions, audit (env DATA_DIR,
                  default ./data; created if missing)
  --alarms FILE   alarm rules JSON (env ALARMS, default assets/alarms/default.json)
  --scenarios DIR training scenario files, .yaml/.yml/.json (env SCENARIOS, default
                  assets/scenarios); a bad file stops the server with its errors
  --allow-origin ORIGIN
                  a browser origin (http(s)://host[:port]) allowed to connect besides the
                  server's own; repeat it or separate with commas (env ALLOW_ORIGINS)
  --public-showcase
                  let the showcase be watched without logging in, as a viewer
                  (env PUBLIC_SHOWCASE=1)
  --session-hours H
                  login session life, ${MIN_SESSION_HOURS} to ${MAX_SESSION_HOURS} hours (env SESSION_HOURS, default 12)
  --no-record     do not record the live plant (env RECORD=0); training session runs are
                  always recorded
  --retention-hours H
                  keep recordings this long after they end, ${MIN_RETENTION_HOURS} to ${MAX_RETENTION_HOURS} hours; the
                  live recording keeps this much of its past (env RETENTION_HOURS, default 24)
  --metrics-token TOKEN
                  bearer token for GET /metrics besides admin sessions, at least
                  ${MIN_METRICS_TOKEN} characters (env METRICS_TOKEN; prefer the env: flags show in ps)
  --frame-ancestors ORIGIN
                  an origin (http(s)://host[:port]) whose pages may embed this one in a frame,
                  e.g. the showcase in a portal; repeat it or separate with commas (env
                  FRAME_ANCESTORS; default: no page may frame it)
  --tls-cert FILE PEM certificate (chain) to serve HTTPS with; needs --tls-key (env TLS_CERT)
  --tls-key FILE  PEM private key of --tls-cert, unencrypted (env TLS_KEY)
  --sources FILE  sources file (.yaml/.yml/.json) mapping real equipment to MQTT topics (env
                  SOURCES); a bad file stops the server with its errors
  --mqtt-listen PORT
                  run an embedded MQTT 3.1.1 broker on this port for the sources to use
                  (env MQTT_LISTEN)
  --dev           serve the client through Vite with hot reload
  --log-level L   fatal|error|warn|info|debug|trace|silent (env LOG_LEVEL, default info)
  --help          this text`;

const FLAG_NAMES: Record<string, string> = {
  logLevel: 'log-level',
  allowOrigin: 'allow-origin',
  publicShowcase: 'public-showcase',
  sessionHours: 'session-hours',
  record: 'no-record',
  retentionHours: 'retention-hours',
  metricsToken: 'metrics-token',
  frameAncestors: 'frame-ancestors',
  tlsCert: 'tls-cert',
  tlsKey: 'tls-key',
  mqttListen: 'mqtt-listen',
};

/** A comma list (flags may repeat too) as separate, trimmed, non-empty items. */
const commaList = (items: readonly string[]) =>
  items
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');

/**
 * Reads the configuration from command-line flags, then environment variables, then defaults.
 * Never throws: unknown flags and bad values come back as messages naming the flag.
 */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): ConfigResult | { ok: 'help' } {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        plant: { type: 'string' },
        seed: { type: 'string' },
        speed: { type: 'string' },
        scale: { type: 'string' },
        data: { type: 'string' },
        alarms: { type: 'string' },
        scenarios: { type: 'string' },
        dev: { type: 'boolean' },
        'allow-origin': { type: 'string', multiple: true },
        'public-showcase': { type: 'boolean' },
        'session-hours': { type: 'string' },
        'no-record': { type: 'boolean' },
        'retention-hours': { type: 'string' },
        'log-level': { type: 'string' },
        'metrics-token': { type: 'string' },
        'frame-ancestors': { type: 'string', multiple: true },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        sources: { type: 'string' },
        'mqtt-listen': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    return { ok: false, errors: [(err as Error).message] };
  }
  if (values.help) return { ok: 'help' };
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const flagOrigins = values['allow-origin'] as string[] | undefined;
  const envShowcase = env.PUBLIC_SHOWCASE?.trim().toLowerCase();
  if (flagOrigins?.some((s) => s.trim() === ''))
    return { ok: false, errors: ['--allow-origin: must not be empty'] };
  const flagAncestors = values['frame-ancestors'] as string[] | undefined;
  if (flagAncestors?.some((s) => s.trim() === ''))
    return { ok: false, errors: ['--frame-ancestors: must not be empty'] };
  if (envShowcase !== undefined && !['', '0', '1', 'false', 'true'].includes(envShowcase))
    return { ok: false, errors: ['--public-showcase: PUBLIC_SHOWCASE must be 1, true, 0 or false'] };
  const envRecord = env.RECORD?.trim().toLowerCase();
  if (envRecord !== undefined && !['', '0', '1', 'false', 'true'].includes(envRecord))
    return { ok: false, errors: ['--no-record: RECORD must be 1, true, 0 or false'] };
  const raw = {
    port: values.port ?? env.PORT ?? '3000',
    host: values.host ?? env.HOST ?? '0.0.0.0',
    plant: values.plant ?? env.PLANT,
    seed: values.seed ?? env.SEED ?? '1',
    speed: values.speed ?? env.SPEED ?? '1',
    scale: values.scale ?? env.SCALE,
    data: values.data ?? env.DATA_DIR ?? './data',
    alarms: values.alarms ?? env.ALARMS,
    scenarios: values.scenarios ?? env.SCENARIOS,
    dev: values.dev === true,
    allowOrigin: commaList(flagOrigins ?? (env.ALLOW_ORIGINS ? [env.ALLOW_ORIGINS] : [])),
    publicShowcase: values['public-showcase'] === true || envShowcase === '1' || envShowcase === 'true',
    sessionHours: str(values['session-hours']) ?? env.SESSION_HOURS ?? '12',
    record: values['no-record'] !== true && envRecord !== '0' && envRecord !== 'false',
    retentionHours: str(values['retention-hours']) ?? env.RETENTION_HOURS ?? '24',
    logLevel: values['log-level'] ?? env.LOG_LEVEL ?? 'info',
    metricsToken: str(values['metrics-token']) ?? env.METRICS_TOKEN,
    frameAncestors: commaList(flagAncestors ?? (env.FRAME_ANCESTORS ? [env.FRAME_ANCESTORS] : [])),
    tlsCert: str(values['tls-cert']) ?? env.TLS_CERT,
    tlsKey: str(values['tls-key']) ?? env.TLS_KEY,
    sources: str(values.sources) ?? env.SOURCES,
    mqttListen: str(values['mqtt-listen']) ?? env.MQTT_LISTEN,
  };
  // z.coerce turns '' into 0; refuse empty strings explicitly so `--port ''` is an error, not port 0.
  const errors: string[] = [];
  for (const [k, v] of Object.entries(raw))
    if (v === '') errors.push(`--${FLAG_NAMES[k] ?? k}: must not be empty`);
  // A certificate without its key (or the reverse) cannot serve HTTPS, and silently falling back to
  // plain HTTP would send passwords in the clear.
  if ((raw.tlsCert === undefined) !== (raw.tlsKey === undefined))
    errors.push(
      raw.tlsCert === undefined
        ? '--tls-cert: missing: --tls-key needs the certificate it belongs to'
        : '--tls-key: missing: --tls-cert needs its private key',
    );
  if (errors.length) return { ok: false, errors };
  const r = configSchema.safeParse(raw);
  if (!r.success)
    return {
      ok: false,
      errors: r.error.issues.map((i) => {
        // Name the flag, not the array index (allowOrigin[1] is --allow-origin).
        const key = formatPath(i.path.slice(0, 1));
        return `--${FLAG_NAMES[key] ?? key}: ${i.message}`;
      }),
    };
  return { ok: true, config: r.data };
}
