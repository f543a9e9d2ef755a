import type { z } from 'zod';
import { type EquipmentKind, equipmentSchema } from '../../protocol';
import type { MessageKey } from '../i18n/messages';

/**
 * The props form's fields of each equipment kind, read from the plant schema itself (so a prop
 * added there shows up here), and the checks of typed values against that schema with problems
 * phrased in our own words (both languages) rather than zod's.
 */

/** How a prop is edited. */
export type PropInput = 'number' | 'enum' | 'text' | 'node';

/** One prop of a kind, as the form shows it. */
export interface PropField {
  key: string;
  input: PropInput;
  /** The schema's check of the value alone (no defaults applied). */
  schema: z.ZodType;
  /** The loader fills it in when absent (the form shows it as the placeholder). */
  fallback?: unknown;
  /** May be left out (only a select's "none"; numbers with a fallback clear to it). */
  optional: boolean;
  options?: readonly string[];
  min?: number;
  max?: number;
  /** Whole numbers only. */
  int?: boolean;
  /** Unit shown after the label. */
  unit?: string;
}

/** Units of the schema's props (its comments say them; the schema cannot). */
const UNITS: Readonly<Record<string, string>> = {
  cycleS: 's',
  reach: 'm',
  length: 'm',
  beltSpeed: 'm/s',
  pitch: 'm',
  radius: 'm',
  maxSpeed: 'm/s',
  capacityKg: 'kg',
  ratingKva: 'kVA',
};

/** Props that name an AGV path node. */
const NODE_PROPS = new Set(['home', 'node']);

type Def = {
  type: string;
  innerType?: z.ZodType;
  defaultValue?: unknown;
  shape?: Record<string, z.ZodType>;
};
const defOf = (s: z.ZodType): Def => (s as unknown as { def: Def }).def;

/** The schema inside optional/default wrappers, whether it was optional, and its default. */
function unwrap(s: z.ZodType): { inner: z.ZodType; optional: boolean; fallback?: unknown } {
  let inner = s;
  let optional = false;
  let fallback: unknown;
  for (let d = defOf(inner); d.type === 'optional' || d.type === 'default'; d = defOf(inner)) {
    if (d.type === 'optional') optional = true;
    else fallback = d.defaultValue;
    inner = d.innerType as z.ZodType;
  }
  return { inner, optional, fallback };
}

function describe(key: string, s: z.ZodType): PropField {
  const { inner, optional, fallback } = unwrap(s);
  const n = inner as unknown as {
    minValue?: number | null;
    maxValue?: number | null;
    options?: string[];
    isInt?: boolean;
  };
  const type = defOf(inner).type;
  const input: PropInput =
    type === 'number' ? 'number' : type === 'enum' ? 'enum' : NODE_PROPS.has(key) ? 'node' : 'text';
  return {
    key,
    input,
    schema: inner,
    fallback,
    optional,
    ...(input === 'enum' ? { options: n.options } : {}),
    ...(input === 'number'
      ? { min: n.minValue ?? undefined, max: n.maxValue ?? undefined, int: n.isInt === true }
      : {}),
    ...(UNITS[key] ? { unit: UNITS[key] } : {}),
  };
}

const FIELDS = new Map<string, readonly PropField[]>();
for (const option of (equipmentSchema as unknown as { options: z.ZodObject[] }).options) {
  const kind = (option.shape.kind as unknown as { value: string }).value;
  const props = unwrap(option.shape.props as z.ZodType).inner;
  const shape = defOf(props).shape ?? {};
  FIELDS.set(
    kind,
    Object.entries(shape).map(([key, s]) => describe(key, s)),
  );
}

/** The props of `kind` in the schema's order (none for an unknown kind). */
export function propFieldsOf(kind: EquipmentKind | string): readonly PropField[] {
  return FIELDS.get(kind) ?? [];
}

/** A problem with a typed value, as a message of ours. */
export interface FieldProblem {
  key: MessageKey;
  params?: Record<string, string>;
}

/** A typed value checked: the value to store (undefined: remove the field), or the problem. */
export type Checked = { ok: true; value: unknown } | { ok: false; problem: FieldProblem };

/** A figure as typed: "12,5" reads as 12.5; anything else not a number is NaN. */
export function parseFigure(text: string): number {
  const t = text.trim().replace(',', '.');
  return t === '' ? Number.NaN : Number(t);
}

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;

/** The first zod issue of `value` against `schema`, in our words (null: it passes). */
function problemOf(f: PropField, value: unknown): FieldProblem | null {
  const r = f.schema.safeParse(value);
  if (r.success) return null;
  const issue = r.error.issues[0];
  if (issue.code === 'too_small')
    return issue.inclusive
      ? { key: 'design.check.atLeast', params: { min: String(issue.minimum) } }
      : { key: 'design.check.above', params: { min: String(issue.minimum) } };
  if (issue.code === 'too_big')
    return f.input === 'number'
      ? { key: 'design.check.atMost', params: { max: String(issue.maximum) } }
      : { key: 'design.check.tooLong', params: { max: String(issue.maximum) } };
  if (issue.code === 'invalid_type' && f.int) return { key: 'design.check.whole' };
  if (issue.code === 'invalid_value') return { key: 'design.check.choose' };
  if (issue.code === 'invalid_format') return { key: 'design.check.id' };
  return { key: 'design.check.number' };
}

/** Checks the text typed (or chosen) for prop `f`. */
export function checkProp(f: PropField, text: string): Checked {
  const t = text.trim();
  if (t === '') {
    // Empty: back to the loader's default, or left out; a required prop must be given.
    if (f.fallback !== undefined || f.optional) return { ok: true, value: undefined };
    return { ok: false, problem: { key: 'design.check.required' } };
  }
  if (f.input === 'node' && !ID_RE.test(t)) return { ok: false, problem: { key: 'design.check.id' } };
  const value = f.input === 'number' ? parseFigure(t) : t;
  if (f.input === 'number' && !Number.isFinite(value as number))
    return { ok: false, problem: { key: 'design.check.number' } };
  const problem = problemOf(f, value);
  return problem ? { ok: false, problem } : { ok: true, value };
}

/** Checks a name (required, at most 80 characters) or its translation (optional). */
export function checkName(text: string, optional: boolean): Checked {
  const t = text.trim();
  if (t === '')
    return optional
      ? { ok: true, value: undefined }
      : { ok: false, problem: { key: 'design.check.required' } };
  if (t.length > 80) return { ok: false, problem: { key: 'design.check.tooLong', params: { max: '80' } } };
  return { ok: true, value: t };
}
