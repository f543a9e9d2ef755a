import { readFileSync } from 'node:fs';
import {
  formatPath,
  KINDS_FOR_SOURCE,
  type Layout,
  type SourceConfig,
  type SourceKind,
  type SourcesFile,
  signalIndex,
  sourcesFileSchema,
} from '../../protocol';
import { at, issueLines } from '../scenarios/loadScenario';
import { formatOf, type ParsedSource, parseSourceText } from '../scenarios/sourceText';

/**
 * Reading the sources file: text (YAML or JSON) -> schema -> every mapping checked against the
 * plant (equipment exists, its kind fits the protocol, signals are in its kind's catalog, no
 * equipment fed twice). Never throws: problems come back as `path: message (line N)`.
 */

/** Sources files larger than this are refused before parsing. */
const MAX_SOURCES_BYTES = 1024 * 1024;
/** Kinds this build can run; the others are valid in a file but refused at start. */
export const SUPPORTED_SOURCE_KINDS: readonly SourceKind[] = ['mqtt-json', 'sparkplug', 'vda5050', 'opcua'];

export type SourcesResult = { ok: true; file: SourcesFile } | { ok: false; errors: string[] };

type Parsed = Extract<ParsedSource, { ok: true }>;
type Problem = { path: PropertyKey[]; message: string; key?: boolean };

/** Validates sources text against the plant; `supported` limits the kinds that may run. */
export function parseSourcesText(
  text: string,
  format: 'yaml' | 'json',
  layout: Layout,
  supported: readonly SourceKind[] = SUPPORTED_SOURCE_KINDS,
): SourcesResult {
  const src = parseSourceText(text, format);
  if (!src.ok) return src;
  const r = sourcesFileSchema.safeParse(src.value);
  if (!r.success) return { ok: false, errors: r.error.issues.flatMap((i) => issueLines(i, src)) };
  const problems = checkAgainstPlant(r.data, layout, supported);
  if (problems.length) return { ok: false, errors: problems.map((p) => line(src, p)) };
  return { ok: true, file: r.data };
}

function line(src: Parsed, p: Problem): string {
  return at(src, p.path, `${formatPath(p.path)}: ${p.message}`, p.key);
}

/** Reads and validates a sources file (.yaml, .yml or .json). */
export function loadSourcesFile(
  path: string,
  layout: Layout,
  supported?: readonly SourceKind[],
): SourcesResult {
  const format = formatOf(path);
  if (!format) return { ok: false, errors: [`${path}: expected a .yaml, .yml or .json file`] };
  let text: string;
  try {
    const buf = readFileSync(path);
    if (buf.byteLength > MAX_SOURCES_BYTES)
      return { ok: false, errors: [`file is ${buf.byteLength} bytes; the limit is ${MAX_SOURCES_BYTES}`] };
    text = buf.toString('utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { ok: false, errors: [`cannot read file (${e.code ?? e.message})`] };
  }
  return parseSourcesText(text, format, layout, supported);
}

/** Signals of an AGV a VDA 5050 observer feeds (state.batteryState and velocity). */
export const VDA_SIGNALS = ['speed', 'battery'] as const;

/** One equipment entry of a source: its path in the file, its signal names and whether its state is fed. */
export interface Mapping {
  path: PropertyKey[];
  equipment: string;
  signals: [string, PropertyKey[]][];
  /** Whether the source says the machine state (a mapped field, or the protocol's own meaning). */
  state: boolean;
  /** Its own staleAfterS, if the entry sets one. */
  staleAfterS?: number;
  /** Whether operators' commands may go to it (entry, else source). */
  commands: boolean;
}

/** The equipment entries of a source. */
export function mappingsOf(s: SourceConfig): Mapping[] {
  switch (s.kind) {
    case 'mqtt-json':
      return s.topics.map((t, i) => ({
        path: ['topics', i],
        equipment: t.equipment,
        state: 'state' in t.fields,
        staleAfterS: t.staleAfterS,
        commands: t.commands ?? s.commands,
        signals: Object.keys(t.fields)
          .filter((k) => k !== 'state')
          .map((k) => [k, ['topics', i, 'fields', k]] as [string, PropertyKey[]]),
      }));
    case 'sparkplug':
      return s.devices.map((d, i) => ({
        path: ['devices', i],
        equipment: d.equipment,
        state: d.state !== undefined,
        commands: d.commands ?? s.commands,
        signals: Object.keys(d.metrics).map(
          (k) => [k, ['devices', i, 'metrics', k]] as [string, PropertyKey[]],
        ),
      }));
    case 'opcua':
      return s.items.map((d, i) => ({
        path: ['items', i],
        equipment: d.equipment,
        state: d.state !== undefined,
        commands: d.commands ?? s.commands,
        signals: Object.keys(d.signals).map(
          (k) => [k, ['items', i, 'signals', k]] as [string, PropertyKey[]],
        ),
      }));
    case 'vda5050':
      return s.agvs.map((a, i) => ({
        path: ['agvs', i],
        equipment: a.equipment,
        state: true,
        commands: a.commands ?? s.commands,
        signals: VDA_SIGNALS.map((k) => [k, ['agvs', i]] as [string, PropertyKey[]]),
      }));
  }
}

function checkAgainstPlant(file: SourcesFile, layout: Layout, supported: readonly SourceKind[]): Problem[] {
  const out: Problem[] = [];
  const kindOf = new Map(layout.equipment.map((e) => [e.id, e.kind]));
  const ids = new Set<string>();
  const fedBy = new Map<string, string>();
  file.sources.forEach((s, si) => {
    const base: PropertyKey[] = ['sources', si];
    if (ids.has(s.id)) out.push({ path: [...base, 'id'], message: `duplicate source id "${s.id}"` });
    ids.add(s.id);
    if (!supported.includes(s.kind))
      out.push({
        path: [...base, 'kind'],
        message: `not supported yet: ${s.kind} (this version runs ${supported.join(', ')})`,
      });
    if (s.kind !== 'opcua') {
      if (s.passwordEnv && s.passwordFile)
        out.push({ path: [...base, 'passwordFile'], message: 'give passwordEnv or passwordFile, not both' });
      const tlsFiles = s.ca || s.cert || s.key;
      if (tlsFiles && !s.broker.startsWith('mqtts:'))
        out.push({ path: [...base, 'broker'], message: 'ca, cert and key need an mqtts:// broker' });
      if (!!s.cert !== !!s.key)
        out.push({ path: [...base, s.cert ? 'key' : 'cert'], message: 'cert and key go together' });
    }
    for (const m of mappingsOf(s)) {
      const eqPath = [...base, ...m.path, 'equipment'];
      const kind = kindOf.get(m.equipment);
      if (!kind) {
        out.push({ path: eqPath, message: `no equipment "${m.equipment}" in the plant` });
        continue;
      }
      const fits = KINDS_FOR_SOURCE[s.kind];
      if (fits && !fits.includes(kind)) {
        out.push({
          path: eqPath,
          message: `"${m.equipment}" is a ${kind}; ${s.kind} feeds ${fits.join(', ')} only`,
        });
        continue;
      }
      const prev = fedBy.get(m.equipment);
      if (prev) out.push({ path: eqPath, message: `"${m.equipment}" is already fed by ${prev}` });
      else fedBy.set(m.equipment, `source "${s.id}"`);
      for (const [sig, p] of m.signals)
        if (signalIndex(kind, sig) < 0)
          out.push({ path: [...base, ...p], key: true, message: `"${sig}" is not a signal of a ${kind}` });
    }
  });
  return out;
}
