/**
 * A small, safe JSONPath subset for mapping device payloads: `$`, `.name`, `['name']` (or
 * `["name"]`) and `[index]`. No filters, no wildcards, no script: a path is a fixed list of steps
 * read with own-property lookups, so a sources file can never make the server run code (the
 * filter/script expressions of full JSONPath engines such as jsonpath-plus have had
 * code-execution CVEs, e.g. CVE-2024-21534).
 */

/** One step of a compiled path: a property name or an array index. */
export type JsonPathStep = string | number;

/** Longest accepted path, characters, and most steps. */
const MAX_PATH_CHARS = 256;
const MAX_STEPS = 32;

/** Compiles a path to its steps, or an error message saying what is wrong. */
export function compileJsonPath(
  path: string,
): { ok: true; steps: JsonPathStep[] } | { ok: false; error: string } {
  if (path.length > MAX_PATH_CHARS) return { ok: false, error: `longer than ${MAX_PATH_CHARS} characters` };
  if (path[0] !== '$') return { ok: false, error: 'a path starts with $ (e.g. $.belt.speed)' };
  const steps: JsonPathStep[] = [];
  let i = 1;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(path.slice(i + 1));
      if (!m) return { ok: false, error: `expected a name after "." at character ${i + 1}` };
      steps.push(m[0]);
      i += 1 + m[0].length;
    } else if (c === '[') {
      const rest = path.slice(i);
      const idx = /^\[(\d{1,9})\]/.exec(rest);
      const quoted = /^\[(?:'([^'\\]*)'|"([^"\\]*)")\]/.exec(rest);
      if (idx) {
        steps.push(Number(idx[1]));
        i += idx[0].length;
      } else if (quoted) {
        steps.push(quoted[1] ?? quoted[2]);
        i += quoted[0].length;
      } else
        return {
          ok: false,
          error: `expected [index] or ['name'] at character ${i + 1} (filters and wildcards are not supported)`,
        };
    } else return { ok: false, error: `unexpected "${c}" at character ${i + 1}` };
    if (steps.length > MAX_STEPS) return { ok: false, error: `more than ${MAX_STEPS} steps` };
  }
  return { ok: true, steps };
}

/** The value at `steps` inside `root`, or undefined (own properties only: never the prototype). */
export function readJsonPath(root: unknown, steps: readonly JsonPathStep[]): unknown {
  let v: unknown = root;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    if (typeof s === 'number') {
      if (!Array.isArray(v) || s >= v.length) return undefined;
      v = v[s];
    } else {
      if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.hasOwn(v, s)) return undefined;
      v = (v as Record<string, unknown>)[s];
    }
  }
  return v;
}
