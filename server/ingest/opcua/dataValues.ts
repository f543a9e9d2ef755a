import { Q } from '../liveValues';

/**
 * Reading OPC UA DataValues without node-opcua at hand (it is loaded only when an OPC UA source
 * runs): the numeric constants below are fixed by the standard.
 */

/** Built-in type ids of the numeric and boolean types (OPC UA Part 6, 5.1.2). */
const BOOLEAN = 1;
const SBYTE = 2;
const DOUBLE = 11;
const INT64 = 8;
const UINT64 = 9;
/** VariantArrayType.Scalar. */
const SCALAR = 0;
const TWO_32 = 4294967296;

/** The parts of a node-opcua Variant we read. */
export interface VariantLike {
  dataType: number;
  arrayType?: number;
  value: unknown;
}

/** Quality of a StatusCode: the severity in its top two bits (00 Good, 01 Uncertain, 1x Bad). */
export function qualityOfStatus(code: number): number {
  const severity = code >>> 30;
  return severity === 0 ? Q.good : severity === 1 ? Q.uncertain : Q.bad;
}

/**
 * The number a variant carries: numeric types as they are (64-bit integers from their [high, low]
 * words), booleans as 1/0; NaN for anything else (strings, arrays, structures, NaN, ±Infinity).
 */
export function numberOf(v: VariantLike | null | undefined): number {
  if (!v || (v.arrayType !== undefined && v.arrayType !== SCALAR)) return Number.NaN;
  const t = v.dataType;
  const x = v.value;
  if (t === BOOLEAN) return typeof x === 'boolean' ? (x ? 1 : 0) : Number.NaN;
  if (t === INT64 || t === UINT64) {
    if (!Array.isArray(x) || x.length !== 2) return Number.NaN;
    const hi = t === INT64 ? x[0] | 0 : x[0] >>> 0;
    return hi * TWO_32 + (x[1] >>> 0);
  }
  if (t >= SBYTE && t <= DOUBLE && typeof x === 'number' && Number.isFinite(x)) return x;
  return Number.NaN;
}

/** Why `numberOf` gave NaN, for the drop message (only called on drops). */
export function whyNotNumber(v: VariantLike | null | undefined): string {
  if (!v || v.dataType === 0) return 'no value';
  if (v.arrayType !== undefined && v.arrayType !== SCALAR) return 'an array, expected a number';
  if (typeof v.value === 'number') return `${v.value} is not a finite number`;
  const shown = typeof v.value === 'string' ? JSON.stringify(v.value.slice(0, 40)) : typeof v.value;
  return `expected a number or a boolean, got ${shown} (built-in type ${v.dataType})`;
}

/** The key a state value is looked up by in the state map ('3', 'RUNNING', 'true'), or null. */
export function stateKeyOf(v: VariantLike | null | undefined): string | null {
  if (!v || (v.arrayType !== undefined && v.arrayType !== SCALAR)) return null;
  const x = v.value;
  if (typeof x === 'string') return x.length <= 256 ? x : null;
  if (typeof x === 'boolean') return String(x);
  const n = numberOf(v);
  return Number.isFinite(n) ? String(n) : null;
}

/** Epoch ms of an OPC UA DateTime, or NaN when absent (null, or the DateTime's minimum, 1601). */
export function epochMsOf(d: Date | null | undefined): number {
  if (!d) return Number.NaN;
  const ms = d.getTime();
  return ms > 0 ? ms : Number.NaN;
}
