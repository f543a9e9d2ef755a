import { parseArgs } from 'node:util';
import { z } from 'zod';
import { formatPath } from '../protocol';

/** Simulation speed limits (multiplier on the one clock). */
export const MIN_SPEED = 0.1;
export const MAX_SPEED = 50;
/** Largest plant --scale builds (the wire's equipment index is 16-bit). */
export const MAX_SCALE = 60_000;

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
  dev: z.boolean(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
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
  --data DIR      directory of the alarm database (env DATA_DIR, default ./data; created if missing)
  --alarms FILE   alarm rules JSON (env ALARMS, default assets/alarms/default.json)
  --dev           serve the client through Vite with hot reload
  --log-level L   fatal|error|warn|info|debug|trace|silent (env LOG_LEVEL, default info)
  --help          this text`;

const FLAG_NAMES: Record<string, string> = { logLevel: 'log-level' };

/**
 * Reads the configuration from command-line flags, then environment variables, then defaults.
 * Never throws: unknown flags and bad values come back as messages naming the flag.
 */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): ConfigResult | { ok: 'help' } {
  let values: Record<string, string | boolean | undefined>;
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
        dev: { type: 'boolean' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    return { ok: false, errors: [(err as Error).message] };
  }
  if (values.help) return { ok: 'help' };
  const raw = {
    port: values.port ?? env.PORT ?? '3000',
    host: values.host ?? env.HOST ?? '0.0.0.0',
    plant: values.plant ?? env.PLANT,
    seed: values.seed ?? env.SEED ?? '1',
    speed: values.speed ?? env.SPEED ?? '1',
    scale: values.scale ?? env.SCALE,
    data: values.data ?? env.DATA_DIR ?? './data',
    alarms: values.alarms ?? env.ALARMS,
    dev: values.dev === true,
    logLevel: values['log-level'] ?? env.LOG_LEVEL ?? 'info',
  };
  // z.coerce turns '' into 0; refuse empty strings explicitly so `--port ''` is an error, not port 0.
  const errors: string[] = [];
  for (const [k, v] of Object.entries(raw))
    if (v === '') errors.push(`--${FLAG_NAMES[k] ?? k}: must not be empty`);
  if (errors.length) return { ok: false, errors };
  const r = configSchema.safeParse(raw);
  if (!r.success)
    return {
      ok: false,
      errors: r.error.issues.map((i) => {
        const key = formatPath(i.path);
        return `--${FLAG_NAMES[key] ?? key}: ${i.message}`;
      }),
    };
  return { ok: true, config: r.data };
}
