/**
 * A first look at a decoded payload before any schema sees it: binary where JSON is expected,
 * size, nesting depth and keys that could reach an object prototype. Walks iteratively (a deeply
 * nested payload must not overflow the stack) and stops at the first problem.
 */

/** Deepest nesting any request needs is 3 (`{ params: { node } }`); this leaves room. */
export const MAX_DEPTH = 8;
/** Keys refused anywhere in a payload (prototype pollution). */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Bytes counted for a number, boolean or null (its JSON text is at most about this long). */
const SCALAR_BYTES = 8;

/** Whether `x` is binary (Socket.IO hands binary attachments over as Buffers). */
export function isBinary(x: unknown): boolean {
  return x instanceof ArrayBuffer || ArrayBuffer.isView(x);
}

/**
 * Null when the payload looks like plain JSON within `maxBytes` (approximate JSON size: string
 * lengths, keys and punctuation) and MAX_DEPTH; otherwise what is wrong with it.
 */
export function payloadProblem(payload: unknown, maxBytes: number): string | null {
  if (isBinary(payload)) return 'expected a JSON object, got binary data';
  let bytes = 0;
  const stack: unknown[] = [payload];
  const depths: number[] = [0];
  while (stack.length) {
    const v = stack.pop();
    const depth = depths.pop() ?? 0;
    if (typeof v === 'string') bytes += v.length + 2;
    else if (v === null || typeof v !== 'object') bytes += SCALAR_BYTES;
    else {
      if (isBinary(v)) return 'expected JSON, got binary data';
      if (depth >= MAX_DEPTH) return `nested deeper than ${MAX_DEPTH} levels`;
      bytes += 2;
      if (Array.isArray(v)) {
        for (const item of v) {
          stack.push(item);
          depths.push(depth + 1);
          bytes += 1;
        }
      } else {
        for (const key of Object.keys(v)) {
          if (FORBIDDEN_KEYS.has(key)) return `key "${key}" is not allowed`;
          bytes += key.length + 4;
          stack.push((v as Record<string, unknown>)[key]);
          depths.push(depth + 1);
        }
      }
    }
    if (bytes > maxBytes) return `payload larger than ${maxBytes} bytes`;
  }
  return null;
}
