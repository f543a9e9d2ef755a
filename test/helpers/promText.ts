/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4), for tests: every line
 * must be a comment, HELP, TYPE or a well-formed sample; a family's TYPE comes before its samples
 * and at most once; histogram buckets are cumulative and end with le="+Inf" equal to _count.
 * Throws with the line number on anything else.
 */

/** One sample line. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** One metric family (HELP/TYPE and its samples). */
export interface Family {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES: Record<Family['type'], string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

/** A sample value as Prometheus reads it (Go's ParseFloat: special values in any case; prom-client writes `Nan`). */
function parseValue(s: string, where: string): number {
  if (/^\+?inf(inity)?$/i.test(s)) return Number.POSITIVE_INFINITY;
  if (/^-inf(inity)?$/i.test(s)) return Number.NEGATIVE_INFINITY;
  if (/^nan$/i.test(s)) return Number.NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) throw new Error(`${where}: bad value "${s}"`);
  return Number(s);
}

/** Parses `{a="x",b="y"}` starting at `i` (the `{`); returns the labels and the index after `}`. */
function parseLabels(line: string, i: number, where: string): [Record<string, string>, number] {
  const labels: Record<string, string> = {};
  i++;
  while (line[i] !== '}') {
    const m = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(i));
    if (!m || !LABEL_NAME.test(m[0])) throw new Error(`${where}: bad label name`);
    const name = m[0];
    i += name.length;
    if (line[i] !== '=' || line[i + 1] !== '"') throw new Error(`${where}: expected ="`);
    i += 2;
    let value = '';
    for (;;) {
      const c = line[i];
      if (c === undefined) throw new Error(`${where}: unterminated label value`);
      if (c === '"') break;
      if (c === '\\') {
        const e = line[i + 1];
        if (e === 'n') value += '\n';
        else if (e === '\\' || e === '"') value += e;
        else throw new Error(`${where}: bad escape \\${e}`);
        i += 2;
      } else {
        value += c;
        i++;
      }
    }
    i++;
    if (name in labels) throw new Error(`${where}: label ${name} twice`);
    labels[name] = value;
    if (line[i] === ',') i++;
    else if (line[i] !== '}') throw new Error(`${where}: expected , or }`);
  }
  return [labels, i + 1];
}

/** Parses an exposition into its families by name. */
export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const typed = new Set<string>();
  if (text.length > 0 && !text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const lines = text.split('\n');
  const familyOf = (sample: string): Family | undefined => {
    for (const f of families.values())
      for (const suffix of SUFFIXES[f.type]) if (sample === f.name + suffix) return f;
    return undefined;
  };
  lines.forEach((line, n) => {
    const where = `line ${n + 1}`;
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
      if (!m) return; // a plain comment
      const [, kind, name, rest = ''] = m;
      if (!NAME.test(name)) throw new Error(`${where}: bad metric name ${name}`);
      let f = families.get(name);
      if (kind === 'TYPE') {
        if (!TYPES.has(rest)) throw new Error(`${where}: bad type ${rest}`);
        if (typed.has(name) || (f && f.samples.length > 0))
          throw new Error(`${where}: TYPE of ${name} after its samples or twice`);
        typed.add(name);
        if (!f) {
          f = { name, type: 'untyped', help: '', samples: [] };
          families.set(name, f);
        }
        f.type = rest as Family['type'];
      } else {
        if (!f) {
          f = { name, type: 'untyped', help: '', samples: [] };
          families.set(name, f);
        }
        f.help = rest.replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
      }
      return;
    }
    const nm = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
    if (!nm) throw new Error(`${where}: expected a metric name`);
    const name = nm[0];
    let i = name.length;
    let labels: Record<string, string> = {};
    if (line[i] === '{') [labels, i] = parseLabels(line, i, where);
    if (line[i] !== ' ') throw new Error(`${where}: expected a space before the value`);
    const parts = line.slice(i + 1).split(' ');
    if (parts.length > 2 || (parts.length === 2 && !/^-?\d+$/.test(parts[1])))
      throw new Error(`${where}: expected a value and at most a timestamp`);
    const value = parseValue(parts[0], where);
    const f = familyOf(name);
    if (!f) throw new Error(`${where}: sample ${name} has no TYPE before it`);
    if (name.endsWith('_bucket') && f.type === 'histogram' && labels.le === undefined)
      throw new Error(`${where}: bucket without le`);
    f.samples.push({ name, labels, value });
  });
  for (const f of families.values()) if (f.type === 'histogram') checkHistogram(f);
  return families;
}

/** Buckets per label set are cumulative, end with +Inf and that equals _count. */
function checkHistogram(f: Family): void {
  const key = (l: Record<string, string>) =>
    JSON.stringify(
      Object.entries(l)
        .filter(([k]) => k !== 'le')
        .sort(),
    );
  const series = new Map<string, Sample[]>();
  for (const s of f.samples)
    if (s.name.endsWith('_bucket')) series.set(key(s.labels), [...(series.get(key(s.labels)) ?? []), s]);
  for (const [k, buckets] of series) {
    let prev = 0;
    let prevLe = Number.NEGATIVE_INFINITY;
    for (const b of buckets) {
      const le = parseValue(b.labels.le, `${f.name} le`);
      if (le <= prevLe || b.value < prev) throw new Error(`${f.name}${k}: buckets not cumulative`);
      prev = b.value;
      prevLe = le;
    }
    const count = f.samples.find((s) => s.name === `${f.name}_count` && key(s.labels) === k);
    if (prevLe !== Number.POSITIVE_INFINITY || !count || count.value !== prev)
      throw new Error(`${f.name}${k}: the +Inf bucket must equal _count`);
  }
}

/** The sum of the samples of `name` whose labels include `labels`. */
export function sampleSum(
  families: Map<string, Family>,
  name: string,
  labels: Record<string, string> = {},
): number {
  let sum = 0;
  for (const f of families.values())
    for (const s of f.samples)
      if (s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)) sum += s.value;
  return sum;
}

/** The value of the one sample of `name` whose labels include `labels` (0 when there is none). */
export function sampleValue(
  families: Map<string, Family>,
  name: string,
  labels: Record<string, string> = {},
): number {
  for (const f of families.values())
    for (const s of f.samples)
      if (s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)) return s.value;
  return 0;
}
