import type { Logger } from 'pino';
import type { Layout, SourceConfig } from '../../protocol';
import type { SourceAdapter } from './adapter';
import { MqttJsonAdapter, type PlantIndex } from './mqttJsonAdapter';
import { mqttOptions } from './mqttOptions';
import { parseNsuNodeId } from './opcua/nodeIds';
import { OpcuaAdapter } from './opcua/opcuaAdapter';
import { opcuaPassword } from './opcua/security';
import type { SourceStats } from './sourceStats';
import { SparkplugAdapter } from './sparkplug/host';
import { Vda5050Adapter } from './vda5050/observer';

/** What every adapter may use besides its own source entry. */
export interface AdapterContext {
  plant: PlantIndex;
  /** The plant file (path graph for VDA 5050 orders, positions). */
  layout: Layout;
  logger: Logger;
  /** Wall clock, ms since epoch (receive times). */
  now: () => number;
  env: NodeJS.ProcessEnv;
  /** The server's data directory (OPC UA certificates and trust list live under it). */
  dataDir: string;
}

/** A source's adapter, built once its stats exist. */
export type AdapterBuilder = (stats: SourceStats) => SourceAdapter;

/**
 * Checks what a source needs before anything connects (credentials, TLS files) and returns how to
 * build its adapter, or the errors that stop the server at start.
 */
export function adapterFor(
  s: SourceConfig,
  ctx: AdapterContext,
): { ok: true; build: AdapterBuilder } | { ok: false; errors: string[] } {
  switch (s.kind) {
    case 'mqtt-json': {
      const o = mqttOptions(s, ctx.env);
      if (!o.ok) return o;
      return { ok: true, build: (stats) => new MqttJsonAdapter(s, o.options, ctx.plant, stats, ctx.now) };
    }
    case 'sparkplug': {
      const o = mqttOptions(s, ctx.env);
      if (!o.ok) return o;
      return { ok: true, build: (stats) => new SparkplugAdapter(s, o.options, ctx.plant, stats, ctx.now) };
    }
    case 'vda5050': {
      const o = mqttOptions(s, ctx.env);
      if (!o.ok) return o;
      const plant = { plant: ctx.plant, layout: ctx.layout };
      return { ok: true, build: (stats) => new Vda5050Adapter(s, o.options, plant, stats, ctx.now) };
    }
    case 'opcua': {
      const p = opcuaPassword(s, ctx.env);
      const bad = opcuaNodeTexts(s).flatMap((t) => {
        const r = parseNsuNodeId(t);
        return r.ok ? [] : [`source "${s.id}": ${r.error}`];
      });
      if (!p.ok || bad.length) return { ok: false, errors: [...(p.ok ? [] : p.errors), ...bad] };
      const octx = {
        plant: ctx.plant,
        logger: ctx.logger,
        now: ctx.now,
        dataDir: ctx.dataDir,
        password: p.password,
      };
      return { ok: true, build: (stats) => new OpcuaAdapter(s, stats, octx) };
    }
  }
}

/** Every node id an OPC UA source names (signals, state, actions). */
function opcuaNodeTexts(s: Extract<SourceConfig, { kind: 'opcua' }>): string[] {
  return s.items.flatMap((it) => [
    ...Object.values(it.signals),
    ...(it.state ? [it.state.node] : []),
    ...Object.values(it.actions ?? {}).flatMap((a) =>
      a ? ('call' in a ? [a.call.object, a.call.method] : [a.write]) : [],
    ),
  ]);
}
