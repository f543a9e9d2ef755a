import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { formatPath, type Layout } from '../../protocol';
import type { Scenario, ScenarioSummary } from '../../protocol/scenario';
import { compileRules } from '../alarms/compile';
import { DEFAULT_RULES, loadRulesFile } from '../alarms/ruleSchema';
import { DEFAULT_PLANT, loadPlantFile } from '../plantFile';
import { checkScenarioRefs } from './scenarioRefs';
import { scenarioFileSchema } from './scenarioSchema';
import { formatOf, type ParsedSource, parseSourceText, type SourceFormat } from './sourceText';
import { toScenario } from './toScenario';

/**
 * Reading scenario files: text -> value (YAML or JSON) -> schema -> ids checked against the plant
 * and alarm rules. Never throws: every problem comes back as a `path: message (line N)` line.
 */

/** The shipped scenario library. */
export const SCENARIOS_DIR = fileURLToPath(new URL('../../assets/scenarios/', import.meta.url));
/** Scenario files larger than this are refused before parsing. */
const MAX_SCENARIO_BYTES = 256 * 1024;

/** A scenario with the plant it runs on. */
export interface LoadedScenario {
  scenario: Scenario;
  layout: Layout;
}

/** A valid scenario with its plant, or every problem as `path: message (line N)`. */
export type ScenarioResult = ({ ok: true } & LoadedScenario) | { ok: false; errors: string[] };

/** Finds a scenario's plant: 'default' or a path (relative to the scenario file's folder). */
export type PlantResolver = (plant: string) => { ok: true; layout: Layout } | { ok: false; errors: string[] };

/** Rules every scenario is checked against, and the plant resolver. */
export interface ScenarioContext {
  resolvePlant: PlantResolver;
  /** Alarm rules (validated); compiled per plant. */
  rules: Parameters<typeof compileRules>[0];
}

/**
 * Validates scenario text: YAML or JSON syntax, the schema, then every id against the plant the
 * scenario names and the alarm rules. `fallbackId` is used when the file has no `id` (its name).
 */
export function parseScenarioText(
  text: string,
  format: SourceFormat,
  fallbackId: string,
  ctx: ScenarioContext,
): ScenarioResult {
  const src = parseSourceText(text, format);
  if (!src.ok) return src;
  const r = scenarioFileSchema.safeParse(src.value);
  if (!r.success) return { ok: false, errors: r.error.issues.flatMap((i) => issueLines(i, src)) };
  const plant = ctx.resolvePlant(r.data.plant);
  if (!plant.ok) return { ok: false, errors: plant.errors.map((e) => at(src, ['plant'], `plant: ${e}`)) };
  const compiled = compileRules(ctx.rules, plant.layout);
  if (!compiled.ok) return { ok: false, errors: compiled.errors.map((e) => `alarm rules: ${e}`) };
  const issues = checkScenarioRefs(r.data, plant.layout, compiled.compiled);
  if (issues.length)
    return { ok: false, errors: issues.map((i) => at(src, i.path, `${formatPath(i.path)}: ${i.message}`)) };
  return { ok: true, scenario: toScenario(r.data, fallbackId), layout: plant.layout };
}

/** Adds the line of `path` to a message. */
function at(
  src: Extract<ParsedSource, { ok: true }>,
  path: readonly PropertyKey[],
  message: string,
  key = false,
) {
  const line = src.lineOf(path, key);
  return line === undefined ? message : `${message} (line ${line})`;
}

/** One zod issue as lines; an unknown field is named, on its own line. */
function issueLines(i: z.core.$ZodIssue, src: Extract<ParsedSource, { ok: true }>): string[] {
  if (i.code === 'unrecognized_keys')
    return i.keys.map((k) => {
      const path = [...i.path, k];
      return at(src, path, `${formatPath(path)}: unknown field`, true);
    });
  const message = i.message.replace(/^Invalid input: /, '');
  return [at(src, i.path, `${formatPath(i.path)}: ${message}`)];
}

/** The default rules and plant resolution relative to `dir`, with parsed plants cached. */
export function fileContext(dir: string, rulesPath = DEFAULT_RULES): ScenarioContext | { errors: string[] } {
  const rules = loadRulesFile(rulesPath);
  if (!rules.ok) return { errors: rules.errors.map((e) => `alarm rules ${rulesPath}: ${e}`) };
  const cache = new Map<string, ReturnType<PlantResolver>>();
  const resolvePlant: PlantResolver = (plant) => {
    const path = plant === 'default' ? DEFAULT_PLANT : isAbsolute(plant) ? plant : resolve(dir, plant);
    let r = cache.get(path);
    if (!r) {
      const loaded = loadPlantFile(path);
      r = loaded.ok ? { ok: true, layout: loaded.layout } : { ok: false, errors: loaded.errors };
      cache.set(path, r);
    }
    return r;
  };
  return { resolvePlant, rules: rules.rules };
}

/** Reads and validates one scenario file (.yaml, .yml or .json); its id defaults to the file name. */
export function loadScenarioFile(path: string, ctx?: ScenarioContext): ScenarioResult {
  const format = formatOf(path);
  if (!format) return { ok: false, errors: [`${path}: expected a .yaml, .yml or .json file`] };
  const c = ctx ?? fileContext(dirname(path));
  if ('errors' in c) return { ok: false, errors: c.errors };
  let text: string;
  try {
    const buf = readFileSync(path);
    if (buf.byteLength > MAX_SCENARIO_BYTES)
      return { ok: false, errors: [`file is ${buf.byteLength} bytes; the limit is ${MAX_SCENARIO_BYTES}`] };
    text = buf.toString('utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { ok: false, errors: [`cannot read file (${e.code ?? e.message})`] };
  }
  // A file without an `id` is known by its name, made id-safe ('Line 3 drill.yaml' -> 'line-3-drill').
  const fallbackId = basename(path, extname(path))
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-');
  return parseScenarioText(text, format, fallbackId, c);
}

/** Every scenario of a folder, by id; files that fail are reported (`file: error`) and left out. */
export interface ScenarioLibrary {
  scenarios: Map<string, LoadedScenario>;
  errors: string[];
}

/** Loads the scenario files of `dir` (default: the shipped library) in file-name order. */
export function loadScenarioLibrary(dir = SCENARIOS_DIR, rulesPath?: string): ScenarioLibrary {
  const scenarios = new Map<string, LoadedScenario>();
  const ctx = fileContext(dir, rulesPath);
  if ('errors' in ctx) return { scenarios, errors: ctx.errors };
  const errors: string[] = [];
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => formatOf(f) !== null)
      .sort();
  } catch (err) {
    return { scenarios, errors: [`${dir}: cannot read folder (${(err as NodeJS.ErrnoException).code})`] };
  }
  for (const f of files) {
    const r = loadScenarioFile(join(dir, f), ctx);
    if (!r.ok) errors.push(...r.errors.map((e) => `${f}: ${e}`));
    else if (scenarios.has(r.scenario.id)) errors.push(`${f}: duplicate scenario id "${r.scenario.id}"`);
    else scenarios.set(r.scenario.id, { scenario: r.scenario, layout: r.layout });
  }
  return { scenarios, errors };
}

/** The catalog entries (`GET /api/scenarios`). */
export function summaries(lib: ScenarioLibrary): ScenarioSummary[] {
  return [...lib.scenarios.values()].map(({ scenario: s }) => {
    const out: ScenarioSummary = {
      id: s.id,
      name: s.name,
      description: s.description,
      learningGoal: s.learningGoal,
    };
    if (s.translations) out.translations = s.translations;
    return out;
  });
}
