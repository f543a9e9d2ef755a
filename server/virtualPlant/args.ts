import { parseArgs } from 'node:util';
import { MAX_SPEED, MIN_SPEED } from '../../protocol';
import { OPCUA_DEFAULT_PORT } from './protocolSplit';

/** What `npm run virtual-plant -- ...` was asked to do. */
export interface VirtualPlantOptions {
  /** mqtt://host:port (or mqtts://) of the broker every MQTT protocol publishes to. */
  broker: string;
  /** OPC UA port; 0: no OPC UA server. */
  opcuaPort: number;
  /** Host name the OPC UA endpoint advertises. */
  opcuaHost: string;
  /** Folder of the OPC UA server's certificate and trust lists. */
  pki: string;
  seed: number;
  speed: number;
  /** Plant file (default: the built-in plant). */
  plant?: string;
  /** `--faults` spec, parsed against the plant later (faults.ts). */
  faults?: string;
  /** Print the sources file for the plant and exit. */
  printSources: boolean;
}

export const USAGE = `Usage: npm run virtual-plant -- --broker mqtt://HOST:PORT [options]

Runs the simulated plant as an external plant speaking real protocols: Sparkplug B (line
machines), VDA 5050 (AGVs), OPC UA (transformers, 5G cells, edge servers, chargers) and plain MQTT
JSON (drones, racks, feeders). Read it into the twin with assets/sources/virtual-plant.yaml.

  --broker URL        MQTT broker to publish to (mqtt://host:port or mqtts://host:port), required
  --opcua-port N      OPC UA server port (default ${OPCUA_DEFAULT_PORT}; 0 = no OPC UA server)
  --opcua-host NAME   host name in the OPC UA endpoint URL (default localhost)
  --pki DIR           OPC UA certificate folder (default ./data/virtual-plant-pki)
  --seed N            simulation seed (default 1)
  --speed X           time scale, ${MIN_SPEED} to ${MAX_SPEED} (default 1)
  --plant FILE        plant file (default: the built-in plant)
  --faults SPEC       scripted faults at simulation time: TARGET:KIND@SECONDS[:param=value...][,...]
                      e.g. L1-R2:joint-overheat@20 or L1-R2:joint-overheat@20:rateKPerMin=30
                      (parameters as in scenario files; a line id for power-dip: L1:power-dip@60)
  --print-sources     print the sources file (YAML) that maps this plant, and exit
  --help              this text`;

export type ArgsResult =
  | { ok: true; options: VirtualPlantOptions }
  | { ok: 'help' }
  | { ok: false; errors: string[] };

function intIn(
  name: string,
  raw: string | undefined,
  dflt: number,
  min: number,
  max: number,
  errors: string[],
) {
  if (raw === undefined) return dflt;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    errors.push(`--${name}: expected a whole number between ${min} and ${max}, got "${raw}"`);
    return dflt;
  }
  return n;
}

/** Parses the command line; never throws (unknown flags and bad values come back as errors). */
export function parseVirtualPlantArgs(argv: string[]): ArgsResult {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        broker: { type: 'string' },
        'opcua-port': { type: 'string' },
        'opcua-host': { type: 'string' },
        pki: { type: 'string' },
        seed: { type: 'string' },
        speed: { type: 'string' },
        plant: { type: 'string' },
        faults: { type: 'string' },
        'print-sources': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    return { ok: false, errors: [(err as Error).message] };
  }
  if (values.help) return { ok: 'help' };
  const errors: string[] = [];
  const str = (k: string) => values[k] as string | undefined;
  const printSources = values['print-sources'] === true;
  const broker = str('broker') ?? '';
  if (!broker && !printSources) errors.push('--broker: required (mqtt://host:port)');
  else if (broker) {
    let u: URL | null = null;
    try {
      u = new URL(broker);
    } catch {}
    if (!u || (u.protocol !== 'mqtt:' && u.protocol !== 'mqtts:') || !u.hostname)
      errors.push(`--broker: expected mqtt://host:port or mqtts://host:port, got "${broker}"`);
  }
  const opcuaPort = intIn('opcua-port', str('opcua-port'), OPCUA_DEFAULT_PORT, 0, 65535, errors);
  const seed = intIn('seed', str('seed'), 1, 0, 0xffffffff, errors);
  let speed = 1;
  const rawSpeed = str('speed');
  if (rawSpeed !== undefined) {
    speed = Number(rawSpeed);
    if (rawSpeed.trim() === '' || !Number.isFinite(speed) || speed < MIN_SPEED || speed > MAX_SPEED)
      errors.push(`--speed: expected a speed between ${MIN_SPEED} and ${MAX_SPEED}, got "${rawSpeed}"`);
  }
  const opcuaHost = str('opcua-host') ?? 'localhost';
  if (!/^[A-Za-z0-9.-]{1,253}$/.test(opcuaHost))
    errors.push(`--opcua-host: expected a host name, got "${opcuaHost}"`);
  for (const k of ['plant', 'faults', 'pki']) if (str(k) === '') errors.push(`--${k}: must not be empty`);
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    options: {
      broker,
      opcuaPort,
      opcuaHost,
      pki: str('pki') ?? 'data/virtual-plant-pki',
      seed,
      speed,
      plant: str('plant'),
      faults: str('faults'),
      printSources,
    },
  };
}
