import { z } from 'zod';
import { COMMAND_ACTIONS, type CommandAction } from '../../protocol';
import { SCENARIO_FAULT_KINDS, SCENARIO_PARAMETERS } from '../../protocol/scenario';
import { localizedSchema } from '../i18n/localized';

/**
 * The scenario file format (assets/scenarios/*.yaml | *.json). A timeline step is `atS` plus
 * exactly one of `fault`, `clear`, `set`, `message`, `command`; expectations are listed apart.
 * Defaults are filled in here; ids are checked against the plant and rules in scenarioRefs.ts.
 */

/** Longest scenario, s (a shift). */
export const MAX_DURATION_S = 12 * 3600;
const ACTION_KEYS = ['fault', 'clear', 'set', 'message', 'command'] as const;
const ACTIONS = COMMAND_ACTIONS as unknown as readonly [CommandAction, ...CommandAction[]];

const num = (min: number, max: number, what = 'a number') =>
  z
    .number({ error: `expected ${what} from ${min} to ${max}` })
    .min(min, { error: `expected ${what} from ${min} to ${max}` })
    .max(max, { error: `expected ${what} from ${min} to ${max}` });
const timeS = (what = 'a time') => num(0, MAX_DURATION_S, `${what} in seconds`);
const ref = (what: string) =>
  z
    .string({ error: `expected ${what} id` })
    .min(1, { error: `expected ${what} id` })
    .max(64);
const text = (max: number) =>
  z
    .string({ error: 'expected text' })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `expected at most ${max} characters` });
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `expected one of: ${values.join(', ')}` });
const bool = z.boolean({ error: 'expected true or false' });
const equipment = ref('an equipment');
const line = ref('a line');

const fault = <K extends (typeof SCENARIO_FAULT_KINDS)[number], S extends z.ZodRawShape>(
  kind: K,
  fields: S,
) => z.object({ kind: z.literal(kind), ...fields }).strict();

/** One injected fault, by kind; parameters in the units their names say. */
export const faultSchema = z.discriminatedUnion(
  'kind',
  [
    fault('joint-overheat', {
      equipment,
      joint: z.int({ error: 'expected a joint 1 to 6' }).min(1).max(6).default(2),
      rateKPerMin: num(0.1, 60, 'a rate in K/min').default(3),
    }),
    fault('bearing-wear', {
      equipment,
      failAfterS: num(10, MAX_DURATION_S, 'a running time in seconds').default(900),
    }),
    fault('conveyor-jam', { equipment }),
    fault('agv-breakdown', { equipment, atNode: ref('a path node').optional() }),
    fault('drone-battery', { equipment, drainPctPerMin: num(1, 200, 'a drain in %/min').default(40) }),
    fault('camera-defocus', {
      equipment,
      focusPct: num(1, 99, 'a focus score in %').default(70),
      falseRejectRate: num(0, 1, 'a probability').default(0.08),
    }),
    fault('cell-outage', { equipment }),
    fault('uplink-congestion', { equipment, capacityPct: num(1, 99, 'a share in %').default(25) }),
    fault('power-dip', {
      line,
      durationS: num(0.1, 600, 'a duration in seconds').default(0.5),
      autoRestart: bool.default(true),
    }),
    fault('transformer-overheat', {
      equipment,
      riseK: num(1, 100, 'a rise in K').default(45),
      rampS: num(10, MAX_DURATION_S, 'a duration in seconds').default(600),
    }),
  ],
  {
    error: (iss) =>
      iss.code === 'invalid_union'
        ? `expected one of: ${SCENARIO_FAULT_KINDS.join(', ')}`
        : 'expected a fault with a "kind"',
  },
);

/** One parameter change. */
export const parameterSchema = z.discriminatedUnion(
  'parameter',
  [
    z.object({ parameter: z.literal('defect-rate'), equipment, value: num(0, 1, 'a probability') }).strict(),
    z.object({ parameter: z.literal('belt-speed'), line, value: num(0.01, 2, 'a speed in m/s') }).strict(),
    z
      .object({
        parameter: z.literal('order-mix'),
        line,
        product: text(40),
        taktS: num(0.2, 600, 'a takt in seconds'),
        changeoverS: num(0, 7200, 'a duration in seconds').default(0),
      })
      .strict(),
  ],
  {
    error: (iss) =>
      iss.code === 'invalid_union'
        ? `expected one of: ${SCENARIO_PARAMETERS.join(', ')}`
        : 'expected a parameter change with a "parameter"',
  },
);

const clearSchema = z
  .object({
    equipment: equipment.optional(),
    line: line.optional(),
    kind: oneOf(SCENARIO_FAULT_KINDS).optional(),
  })
  .strict()
  .refine((c) => (c.equipment === undefined) !== (c.line === undefined), {
    error: 'expected "equipment" or "line" (one of them)',
  });

const commandSchema = z
  .object({ equipment, action: oneOf(ACTIONS), node: ref('a path node').optional() })
  .strict()
  .refine((c) => c.action !== 'go-to' || c.node !== undefined, {
    error: 'go-to needs a "node"',
    path: ['node'],
  });

const stepSchema = z
  .object(
    {
      atS: timeS(),
      fault: faultSchema.optional(),
      clear: clearSchema.optional(),
      set: parameterSchema.optional(),
      message: localizedSchema(text(500)).optional(),
      command: commandSchema.optional(),
    },
    { error: 'expected a step: atS and one of fault, clear, set, message, command' },
  )
  .strict()
  .superRefine((s, ctx) => {
    const n = ACTION_KEYS.filter((k) => s[k] !== undefined).length;
    if (n !== 1)
      ctx.addIssue({ code: 'custom', message: `expected exactly one of: ${ACTION_KEYS.join(', ')}` });
  });

const expectationBase = {
  id: ref('an expectation').optional(),
  label: localizedSchema(text(200)).optional(),
};
const list = <T extends z.ZodType>(item: T) => z.union([item.transform((x) => [x]), z.array(item).min(1)]);

/** One expectation, by type; `equipment` and `action` of a command take one value or a list. */
export const expectationSchema = z.discriminatedUnion(
  'type',
  [
    z
      .object({
        ...expectationBase,
        type: z.literal('alarm-ack'),
        rule: ref('an alarm rule'),
        equipment,
        withinS: num(1, MAX_DURATION_S, 'a time in seconds'),
        afterS: timeS().default(0),
        required: bool.default(true),
      })
      .strict(),
    z
      .object({
        ...expectationBase,
        type: z.literal('command'),
        equipment: list(ref('an equipment or line')),
        action: list(oneOf(ACTIONS)),
        afterS: timeS().default(0),
        byS: timeS(),
      })
      .strict(),
    z
      .object({
        ...expectationBase,
        type: z.literal('line-running'),
        line,
        afterS: timeS().default(0),
        byS: timeS(),
      })
      .strict(),
  ],
  {
    error: (iss) =>
      iss.code === 'invalid_union'
        ? 'expected one of: alarm-ack, command, line-running'
        : 'expected an expectation with a "type"',
  },
);

/** The whole file. */
export const scenarioFileSchema = z
  .object(
    {
      id: z
        .string({ error: 'expected an id' })
        .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, {
          error: 'expected an id of lowercase letters, digits and "-" (max 64)',
        })
        .optional(),
      name: localizedSchema(text(80)),
      description: localizedSchema(text(2000)),
      learningGoal: localizedSchema(text(600)),
      plant: z.string({ error: 'expected a plant file path or "default"' }).min(1).default('default'),
      seed: z.int({ error: 'expected an integer seed' }).min(0).max(0xffffffff).default(1),
      speed: num(0.1, 50, 'a speed').default(1),
      durationS: num(10, MAX_DURATION_S, 'a duration in seconds'),
      randomFaults: bool.default(false),
      timeline: z.array(stepSchema, { error: 'expected a list of steps' }).max(1000),
      expectations: z
        .array(expectationSchema, { error: 'expected a list of expectations' })
        .max(200)
        .default([]),
    },
    { error: 'expected a scenario (an object with name, description, learningGoal, durationS, timeline)' },
  )
  .strict()
  .superRefine((f, ctx) => {
    f.timeline.forEach((s, i) => {
      if (s.atS > f.durationS)
        ctx.addIssue({
          code: 'custom',
          path: ['timeline', i, 'atS'],
          message: `after the end (durationS ${f.durationS})`,
        });
    });
    const ids = new Set<string>();
    f.expectations.forEach((e, i) => {
      if (e.id !== undefined && ids.has(e.id))
        ctx.addIssue({ code: 'custom', path: ['expectations', i, 'id'], message: `duplicate id "${e.id}"` });
      if (e.id !== undefined) ids.add(e.id);
      if (e.afterS > f.durationS)
        ctx.addIssue({
          code: 'custom',
          path: ['expectations', i, 'afterS'],
          message: `after the end (durationS ${f.durationS})`,
        });
      if (e.type === 'alarm-ack') return;
      if (e.byS > f.durationS)
        ctx.addIssue({
          code: 'custom',
          path: ['expectations', i, 'byS'],
          message: `after the end (durationS ${f.durationS})`,
        });
      if (e.afterS > e.byS)
        ctx.addIssue({ code: 'custom', path: ['expectations', i, 'afterS'], message: 'after byS' });
    });
  });

/** A schema-valid file, defaults filled in (ids not yet checked). */
export type ScenarioFile = z.output<typeof scenarioFileSchema>;
