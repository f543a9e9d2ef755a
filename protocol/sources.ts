import { z } from 'zod';
import { MACHINE_COMMANDS } from './commands';
import { compileJsonPath } from './jsonPath';
import { type EquipmentKind, MACHINE_STATES } from './kinds';

/**
 * The sources file (`--sources FILE`): which protocol feeds which equipment. Four kinds share one
 * shape of common fields (id, commands, staleAfterS); signal names are those of the equipment
 * kind's catalog (protocol/signals.ts), checked against the plant when the file is loaded. Also
 * the answers of the ingest read API (`GET /api/sources`, `GET /api/equipment/:id`).
 */

/** Quality of one value: OPC UA's Good/Uncertain/Bad, plus stale (no fresh value in time). */
export type Quality = 'good' | 'uncertain' | 'bad' | 'stale';
/** Every quality, in wire order (index = code). */
export const QUALITIES = ['good', 'uncertain', 'bad', 'stale'] as const satisfies readonly Quality[];

/** The protocols a source may speak. */
export const SOURCE_KINDS = ['vda5050', 'sparkplug', 'opcua', 'mqtt-json'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** What happens to equipment that no source maps. */
export const UNMAPPED_MODES = ['offline', 'simulate', 'hide'] as const;
export type UnmappedMode = (typeof UNMAPPED_MODES)[number];

const id = z.string({ error: 'expected an id string' }).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, {
  error: 'expected an id of letters, digits, "-", "_" or "." (max 40)',
});
const text = (max: number) =>
  z.string({ error: 'expected a string' }).min(1, { error: 'must not be empty' }).max(max);
const file = text(1024);
const seconds = z
  .number({ error: 'expected a number of seconds' })
  .positive({ error: 'must be > 0' })
  .max(86400);

/** `mqtt://host[:port]` or `mqtts://host[:port]`, no credentials in the URL (they go in their own fields). */
const brokerUrl = z.string({ error: 'expected a broker URL' }).refine(
  (s) => {
    try {
      const u = new URL(s);
      return (
        (u.protocol === 'mqtt:' || u.protocol === 'mqtts:') && !!u.hostname && !u.username && !u.password
      );
    } catch {
      return false;
    }
  },
  {
    error:
      'expected mqtt://host[:port] or mqtts://host[:port] (credentials go in username/passwordEnv/passwordFile)',
  },
);

/** One JSONPath of the safe subset (see protocol/jsonPath.ts). */
const jsonPath = z
  .string({ error: 'expected a JSONPath string such as $.belt.speed' })
  .superRefine((s, ctx) => {
    const r = compileJsonPath(s);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: `not a supported JSONPath: ${r.error}` });
  });

/** Fields every kind has. */
const common = {
  id,
  /** Whether operators' commands go to this source's equipment (default: read-only). */
  commands: z.boolean({ error: 'expected true or false' }).default(false),
  /** A value not refreshed for this long is stale, s (default: per kind). */
  staleAfterS: seconds.optional(),
};

/** Broker connection of the MQTT-based kinds. */
const broker = {
  broker: brokerUrl,
  /** PEM files for mqtts://: CA to trust, client certificate and key. */
  ca: file.optional(),
  cert: file.optional(),
  key: file.optional(),
  username: text(256).optional(),
  /** Name of the environment variable that holds the password. */
  passwordEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected an environment variable name' })
    .optional(),
  /** File whose content (trimmed) is the password. */
  passwordFile: file.optional(),
  /** MQTT client id (default: plant-twin-<source id>-<random>). */
  clientId: text(64).optional(),
};

/** A signal name -> something map (names checked against the kind's catalog at load). */
const signalMap = <T extends z.ZodType>(value: T) =>
  z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,39}$/, { error: 'expected a signal name' }), value);

const vda5050 = z
  .object({
    ...common,
    ...broker,
    kind: z.literal('vda5050'),
    interfaceName: text(64).default('uagv'),
    majorVersion: z
      .string()
      .regex(/^v\d+$/, { error: 'expected v2 (or another vN)' })
      .default('v2'),
    agvs: z
      .array(
        z
          .object({
            equipment: id,
            manufacturer: text(128),
            serialNumber: text(128),
            commands: z.boolean().optional(),
            map: z
              .object({
                mapId: text(128),
                /** Where the map's origin lies in the plant (x, z), m. */
                origin: z.tuple([z.number(), z.number()], { error: 'expected 2 numbers' }),
                /** Rotation of the map's x axis about plant +y, degrees. */
                rotationDeg: z.number().default(0),
              })
              .strict(),
            /** Most messages a second this AGV may bring, all topics together (bursts of twice that). */
            maxPerS: z.number().positive().max(10_000).default(50),
          })
          .strict(),
      )
      .min(1, { error: 'expected at least one AGV' }),
  })
  .strict();

/** A Sparkplug group, edge node, device or host id: one topic level, no MQTT wildcards. */
const spId = text(128).regex(/^[^/+#]+$/, { error: 'expected a Sparkplug id without "/", "+" or "#"' });

const sparkplug = z
  .object({
    ...common,
    ...broker,
    kind: z.literal('sparkplug'),
    /** Host application id: the twin publishes spBv1.0/STATE/<hostId>. */
    hostId: text(64).regex(/^[^/+#]+$/, { error: 'expected a Sparkplug id without "/", "+" or "#"' }),
    devices: z
      .array(
        z
          .object({
            equipment: id,
            group: spId,
            node: spId,
            /** Omitted: the node's own metrics. */
            device: spId.optional(),
            commands: z.boolean().optional(),
            /** Signal -> Sparkplug metric name. */
            metrics: signalMap(text(256)),
            /** Metric whose value is the machine state, and its value map. */
            state: z
              .object({ metric: text(256), map: z.record(z.string(), z.enum(MACHINE_STATES)) })
              .strict()
              .optional(),
            /**
             * Command -> writable metric (start, stop, reset, e-stop): the twin sends it as a DCMD
             * (or NCMD for a node's own metrics) with the Boolean value true.
             */
            commandMetrics: z.partialRecord(z.enum(MACHINE_COMMANDS), text(256)).optional(),
            /** Most data messages a second this entry's edge node may send (its entries add up; bursts of twice that). */
            maxPerS: z.number().positive().max(10_000).default(200),
          })
          .strict(),
      )
      .min(1, { error: 'expected at least one device' }),
    /** How long a message after a sequence gap waits for the missing one before a rebirth is asked, ms. */
    reorderTimeoutMs: z.number().int().min(0).max(60_000).default(2000),
  })
  .strict();

/** An OPC UA node id with its namespace URI (nsu=URI;s=...), never a namespace index. */
const nodeId = z.string().regex(/^nsu=[^;]+;[sigb]=.+$/, {
  error: 'expected a node id nsu=URI;s=... (a namespace URI, never an index)',
});

const opcua = z
  .object({
    ...common,
    kind: z.literal('opcua'),
    endpoint: z.string().regex(/^opc\.tcp:\/\/[^\s/]+/, { error: 'expected opc.tcp://host:port[/path]' }),
    /** SignAndEncrypt unless the file says otherwise; None must be asked for. */
    securityMode: z.enum(['None', 'Sign', 'SignAndEncrypt']).default('SignAndEncrypt'),
    username: text(256).optional(),
    passwordEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
      .optional(),
    passwordFile: file.optional(),
    items: z
      .array(
        z
          .object({
            equipment: id,
            commands: z.boolean().optional(),
            /** Signal -> node id with its namespace URI (nsu=...;s=...), never a namespace index. */
            signals: signalMap(nodeId),
            /** Signal -> value map for the machine state: the node whose value is the state. */
            state: z
              .object({ node: nodeId, map: z.record(z.string(), z.enum(MACHINE_STATES)) })
              .strict()
              .optional(),
            /**
             * Command (start, stop, reset, e-stop) -> how it reaches the device: a method call
             * (`call: { object, method }`) or a write of `value` to a variable (`write: node`).
             */
            actions: z
              .partialRecord(
                z.enum(MACHINE_COMMANDS),
                z.union([
                  z.object({ call: z.object({ object: nodeId, method: nodeId }).strict() }).strict(),
                  z.object({ write: nodeId, value: z.union([z.number(), z.boolean()]) }).strict(),
                ]),
              )
              .optional(),
            samplingIntervalMs: z.number().int().min(0).max(3_600_000).default(1000),
            queueSize: z.number().int().min(1).max(1000).default(10),
          })
          .strict(),
      )
      .min(1, { error: 'expected at least one item' }),
  })
  .strict();

const mqttJson = z
  .object({
    ...common,
    ...broker,
    kind: z.literal('mqtt-json'),
    topics: z
      .array(
        z
          .object({
            /** An exact topic (no wildcards: one topic feeds one piece of equipment). */
            topic: z
              .string({ error: 'expected a topic' })
              .min(1)
              .max(1024)
              .regex(/^[^#+\0]+$/, { error: 'expected an exact topic without wildcards (+ or #)' }),
            equipment: id,
            commands: z.boolean().optional(),
            /** Signal (or `state`) -> JSONPath into the payload. */
            fields: signalMap(jsonPath),
            /** Source timestamp: ms since epoch or an ISO 8601 string (absent: receive time). */
            timestamp: jsonPath.optional(),
            /** Payload state value -> machine state (absent: the value must be a state name). */
            stateMap: z
              .record(
                z.string(),
                z.enum(MACHINE_STATES, { error: `expected one of ${MACHINE_STATES.join(', ')}` }),
              )
              .optional(),
            staleAfterS: seconds.optional(),
            /** Most messages a second this topic may bring (bursts of twice that); more are dropped. */
            maxPerS: z.number().positive().max(10_000).default(50),
          })
          .strict(),
      )
      .min(1, { error: 'expected at least one topic' }),
  })
  .strict();

/** One source of any kind. */
export const sourceSchema = z.discriminatedUnion('kind', [vda5050, sparkplug, opcua, mqttJson], {
  error: `expected kind ${SOURCE_KINDS.join(', ')}`,
});

/** The whole sources file. */
export const sourcesFileSchema = z
  .object({
    sources: z.array(sourceSchema).min(1, { error: 'expected at least one source' }).max(256),
    /** Equipment no source maps: offline (default), simulate (and marked simulated) or hide. */
    unmapped: z.enum(UNMAPPED_MODES, { error: 'expected offline, simulate or hide' }).default('offline'),
  })
  .strict();

export type SourceConfig = z.infer<typeof sourceSchema>;
export type SourcesFile = z.infer<typeof sourcesFileSchema>;
export type MqttJsonSource = z.infer<typeof mqttJson>;
export type Vda5050Source = z.infer<typeof vda5050>;
export type SparkplugSource = z.infer<typeof sparkplug>;
export type OpcuaSource = z.infer<typeof opcua>;

/** Equipment kinds a source kind can feed (null: any kind). */
export const KINDS_FOR_SOURCE: Readonly<Record<SourceKind, readonly EquipmentKind[] | null>> = {
  vda5050: ['agv'],
  sparkplug: null,
  opcua: null,
  'mqtt-json': null,
};

/** Connection state of a source. */
export type SourceStatus = 'connected' | 'connecting' | 'down';

/** One source's health (`GET /api/sources`). */
export interface SourceHealth {
  id: string;
  kind: SourceKind;
  status: SourceStatus;
  /** Messages accepted per second, over the last few seconds. */
  messagesPerS: number;
  /** Wall time of the last message received, ms since epoch, or null. */
  lastMessageAt: number | null;
  /** Messages dropped (bad, late or over the rate) since start. */
  errors: number;
  /** The latest drop or connection error, in English, or null. */
  lastError: string | null;
  /** Ids of this source's equipment whose data are stale now. */
  stale: string[];
  /** Median of recent (receive time − source time), ms; null before any timestamped message. */
  skewMs: number | null;
  /** VDA 5050: times an AGV's headerId skipped ahead (messages lost on the way), since start. */
  headerIdGaps?: number;
}

/** `GET /api/sources`. */
export interface SourcesAnswer {
  ok: true;
  sources: SourceHealth[];
}

/** One signal's live value. */
export interface SignalValue {
  value: number;
  quality: Quality;
  /** Source time of the value, ms since epoch (the simulation's wall time for simulated ones). */
  sourceTimestamp: number;
}

/** One piece of equipment now (`GET /api/equipment/:id`). */
export interface EquipmentDetail {
  id: string;
  kind: EquipmentKind;
  state: (typeof MACHINE_STATES)[number];
  /** The source id that feeds it, or 'simulation'; null when unmapped and offline. */
  source: string | null;
  /** Worst quality of its values. */
  quality: Quality;
  /** Newest source time of its values, ms since epoch, or null. */
  sourceTimestamp: number | null;
  /** Wall time its newest value arrived, ms since epoch, or null. */
  receivedAt: number | null;
  /** Simulation time now, s (simulated equipment). */
  simTimeS?: number;
  values: Record<string, SignalValue>;
  /** [x, y, z, yaw] (m, rad) for mobile kinds. */
  pose?: [number, number, number, number];
}

/** `GET /api/equipment/:id`. */
export interface EquipmentAnswer {
  ok: true;
  equipment: EquipmentDetail;
}
