import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ALARM_PRIORITIES, EQUIPMENT_KINDS, formatPath, MACHINE_STATES, signalsOf } from '../../protocol';
import { localizedSchema } from '../i18n/localized';
import { readJsonFile } from '../jsonFile';

/**
 * The alarm rules file format (assets/alarms/*.json). A rule watches one catalog signal (or the
 * machine state) of every piece of equipment of a kind, or of listed equipment, and raises one
 * alarm per piece of equipment (`${ruleId}@${equipmentId}`). All times are simulation seconds.
 */

/** The built-in rules. */
export const DEFAULT_RULES = fileURLToPath(new URL('../../assets/alarms/default.json', import.meta.url));

/** Placeholders a message template may use. */
export const MESSAGE_FIELDS = ['id', 'name', 'value', 'limit', 'unit'] as const;

const MAX_RULES_BYTES = 1024 * 1024;

const messageTemplate = z
  .string({ error: 'expected a message string' })
  .min(1, { error: 'must not be empty' })
  .max(200, { error: 'expected at most 200 characters' })
  .refine(
    (m) => [...m.matchAll(/\{(\w*)\}/g)].every((x) => (MESSAGE_FIELDS as readonly string[]).includes(x[1])),
    {
      error: `unknown placeholder; expected {${MESSAGE_FIELDS.join('} {')}}`,
    },
  );

const ruleId = z.string({ error: 'expected an id string' }).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, {
  error: 'expected an id of letters, digits, "-", "_" or "." (max 40)',
});
const eqId = z.string({ error: 'expected an equipment id' }).min(1).max(40);
const nonNeg = (what = 'a number') =>
  z.number({ error: `expected ${what} >= 0` }).min(0, { error: `expected ${what} >= 0` });
const positive = z.number({ error: 'expected a number > 0' }).positive({ error: 'expected a number > 0' });
const signalKey = z.string({ error: 'expected a signal key' }).min(1).max(40);

const common = {
  id: ruleId,
  /** Every piece of equipment of this kind… */
  kind: z.enum(EQUIPMENT_KINDS, { error: `expected one of: ${EQUIPMENT_KINDS.join(', ')}` }).optional(),
  /** …or only these (and, with `kind`, only those of that kind). */
  equipment: z.array(eqId, { error: 'expected a list of equipment ids' }).min(1).max(10_000).optional(),
  priority: z.enum(ALARM_PRIORITIES, { error: `expected one of: ${ALARM_PRIORITIES.join(', ')}` }),
  /** Template: {id} {name} {value} {limit} {unit}; a string, or `{ en, zh-CN }` in both languages. */
  message: localizedSchema(messageTemplate),
  /** Hysteresis in units of the signal: a high alarm clears only below limit - deadband. */
  deadband: nonNeg().default(0),
  /** The condition must hold this long before the alarm is raised, s (sim). */
  onDelayS: nonNeg().default(0),
  /** The condition must be gone this long before the alarm clears, s (sim). */
  offDelayS: nonNeg().default(0),
  /** Stays unacknowledged after the condition clears, until someone acknowledges it. */
  latching: z.boolean({ error: 'expected true or false' }).default(false),
  /** An acknowledged alarm still active after this long is unacknowledged again, s (sim); 0 = never. */
  reAlarmS: nonNeg().default(0),
};

const limitRule = (type: 'high' | 'high-high' | 'low' | 'low-low') =>
  z
    .object({
      ...common,
      type: z.literal(type),
      /** One key, or several (the worst of them counts: max for high, min for low). */
      signal: z.union([signalKey, z.array(signalKey).min(1).max(16)], {
        error: 'expected a signal key or a list of them',
      }),
      limit: z.number({ error: 'expected a number' }),
    })
    .strict();

/** One rule, by type. */
export const ruleSchema = z.discriminatedUnion(
  'type',
  [
    limitRule('high'),
    limitRule('high-high'),
    limitRule('low'),
    limitRule('low-low'),
    z
      .object({
        ...common,
        type: z.literal('deviation'),
        signal: signalKey,
        /** Reference value and allowed band either side of it, units of the signal. */
        setpoint: z.number({ error: 'expected a number' }),
        band: positive,
      })
      .strict(),
    z
      .object({
        ...common,
        type: z.literal('rate'),
        signal: signalKey,
        /** Largest allowed rate of change, signal units per `per`. */
        limit: positive,
        per: z.enum(['s', 'min']).default('s'),
        direction: z.enum(['rise', 'fall', 'both']).default('both'),
        /** The rate is measured over windows this long, s (sim). */
        windowS: positive.max(3600).default(5),
      })
      .strict(),
    z
      .object({
        ...common,
        type: z.literal('state'),
        states: z
          .array(z.enum(MACHINE_STATES, { error: `expected one of: ${MACHINE_STATES.join(', ')}` }))
          .min(1, { error: 'expected at least one state' }),
      })
      .strict(),
    z
      .object({
        ...common,
        type: z.literal('stale'),
        /** A signal whose value has not changed for `staleS` counts as stale. */
        signal: signalKey.optional(),
        staleS: positive.optional(),
        /** The `offline` machine state (communication loss) counts as stale. */
        offline: z.boolean().default(true),
      })
      .strict(),
  ],
  {
    error: 'expected "type" to be one of: high, high-high, low, low-low, deviation, rate, state, stale',
  },
);

export type AlarmRule = z.output<typeof ruleSchema>;

/** The rules file. */
export const rulesFileSchema = z
  .object({ rules: z.array(ruleSchema, { error: 'expected a list of rules' }).max(1000) })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.rules.forEach((r, i) => {
      if (seen.has(r.id))
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `duplicate id "${r.id}"` });
      seen.add(r.id);
      if (!r.kind && !r.equipment)
        ctx.addIssue({ code: 'custom', path: ['rules', i], message: 'expected "kind" or "equipment"' });
      if (r.type === 'stale' && r.signal !== undefined && r.staleS === undefined)
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'staleS'], message: 'required with "signal"' });
      if (r.type === 'stale' && r.signal === undefined && !r.offline)
        ctx.addIssue({
          code: 'custom',
          path: ['rules', i],
          message: 'a stale rule needs "signal" or offline: true',
        });
      if (!r.kind || !('signal' in r) || r.signal === undefined) return;
      const keys = signalsOf(r.kind).map((s) => s.key);
      const list = Array.isArray(r.signal) ? r.signal : [r.signal];
      list.forEach((k, j) => {
        if (!keys.includes(k))
          ctx.addIssue({
            code: 'custom',
            path: Array.isArray(r.signal) ? ['rules', i, 'signal', j] : ['rules', i, 'signal'],
            message: `unknown signal "${k}" for ${r.kind} (expected one of: ${keys.join(', ')})`,
          });
      });
    });
  });

export type RulesFile = z.output<typeof rulesFileSchema>;
export type RulesResult = { ok: true; rules: AlarmRule[] } | { ok: false; errors: string[] };

/** Validates an already-parsed rules file; errors are `path: message` lines. */
export function parseRules(input: unknown): RulesResult {
  const r = rulesFileSchema.safeParse(input);
  if (r.success) return { ok: true, rules: r.data.rules };
  return { ok: false, errors: r.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`) };
}

/** Reads and validates a rules file. Never throws: problems come back as messages. */
export function loadRulesFile(path: string): RulesResult {
  const file = readJsonFile(path, MAX_RULES_BYTES);
  return file.ok ? parseRules(file.json) : file;
}
