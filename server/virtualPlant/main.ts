/**
 * `npm run virtual-plant`: the simulated plant as an external plant speaking Sparkplug B, VDA 5050,
 * OPC UA and plain MQTT JSON (see virtualPlant.ts). Usage errors exit 2; SIGTERM or SIGINT publish
 * the deaths (NDEATH, connection OFFLINE) and exit 0. Only an unclean loss fires the Wills.
 */
import { createLogger } from '../logger';
import { DEFAULT_PLANT, loadPlantFile } from '../plantFile';
import { installShutdown, onShutdown, parkIfStopping } from '../shutdown';
import { parseVirtualPlantArgs, USAGE } from './args';
import { parseFaults } from './faults';
import { DEFAULT_TARGET, sourcesYaml } from './sourcesFor';
import { startVirtualPlant } from './virtualPlant';

installShutdown();
process.setSourceMapsEnabled(true);

function usageError(errors: string[]): never {
  console.error(`${errors.map((e) => `Error: ${e}`).join('\n')}\n\n${USAGE}`);
  process.exit(2);
}

const args = parseVirtualPlantArgs(process.argv.slice(2));
if (args.ok === 'help') {
  console.log(USAGE);
  process.exit(0);
}
if (!args.ok) usageError(args.errors);
const opts = args.options;
const plantPath = opts.plant ?? DEFAULT_PLANT;
const loaded = loadPlantFile(plantPath);
if (!loaded.ok) usageError(loaded.errors.map((e) => `--plant ${plantPath}: ${e}`));
const layout = loaded.layout;
if (opts.printSources) {
  const target = {
    broker: opts.broker || DEFAULT_TARGET.broker,
    opcuaEndpoint:
      opts.opcuaPort > 0
        ? `opc.tcp://${opts.opcuaHost === 'localhost' ? '127.0.0.1' : opts.opcuaHost}:${opts.opcuaPort}`
        : null,
  };
  process.stdout.write(sourcesYaml(layout, target));
  process.exit(0);
}
const faults = opts.faults ? parseFaults(opts.faults, layout) : { ok: true as const, timeline: [] };
if (!faults.ok) usageError(faults.errors);

const logger = createLogger(process.env.LOG_LEVEL ?? 'info');
let plant: Awaited<ReturnType<typeof startVirtualPlant>>;
try {
  plant = await startVirtualPlant({
    layout,
    broker: opts.broker,
    opcuaPort: opts.opcuaPort,
    opcuaHost: opts.opcuaHost,
    pki: opts.pki,
    seed: opts.seed,
    speed: opts.speed,
    faults: faults.timeline,
    logger,
  });
} catch (err) {
  console.error(`Cannot start the virtual plant: ${(err as Error).message}`);
  process.exit(1);
}
const running = plant;
onShutdown('virtual plant', () => running.stop());
await parkIfStopping();
const c = running.counts;
console.log(
  `Virtual plant publishing to ${opts.broker}: ${c.sparkplugDevices} Sparkplug B devices on ${c.sparkplugNodes} edge nodes, ` +
    `${c.agvs} VDA 5050 AGVs, ${c.uns} unified-namespace devices` +
    (running.opcuaEndpoint
      ? `; OPC UA ${running.opcuaEndpoint} (${c.opcua} machines)`
      : '; no OPC UA server'),
);
