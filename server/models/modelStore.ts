import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODEL_ID_PATTERN, type ModelSummary } from '../../protocol';

/**
 * Uploaded models as files in `<dataDir>/models/<id>/`: `lod0.glb`, `lod1.glb`, ... and
 * `model.json` (the summary). Files rather than a database table: the GLBs are files anyway, and a
 * model's files and metadata appear together by one rename of its folder (written first as
 * `.tmp-<id>`), so a crash never leaves a half model listed; leftovers are removed at open.
 */
export interface ModelStore {
  /** Every model, newest first. */
  list(): ModelSummary[];
  get(id: string): ModelSummary | null;
  /** Path of a level's GLB, or null when there is no such model or level. */
  lodPath(id: string, level: number): string | null;
  /** Stores a model's levels and summary at once. */
  add(summary: ModelSummary, lods: Uint8Array[]): void;
  /** Removes a model; false when there was none. */
  remove(id: string): boolean;
}

const SUMMARY = 'model.json';
export const lodFile = (level: number) => `lod${level}.glb`;

/** Opens (creating) `<dataDir>/models`, dropping what a crash left half-written. */
export function openModelStore(dataDir: string): ModelStore {
  const dir = join(dataDir, 'models');
  mkdirSync(dir, { recursive: true });
  const models = new Map<string, ModelSummary>();
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) {
      rmSync(join(dir, name), { recursive: true, force: true });
      continue;
    }
    if (!MODEL_ID_PATTERN.test(name)) continue;
    try {
      models.set(name, JSON.parse(readFileSync(join(dir, name, SUMMARY), 'utf8')) as ModelSummary);
    } catch {
      // A folder without a readable summary is not a model (it never is one we wrote).
    }
  }
  return {
    list: () => [...models.values()].sort((a, b) => b.createdAt - a.createdAt || a.id.localeCompare(b.id)),
    get: (id) => models.get(id) ?? null,
    lodPath(id, level) {
      const m = models.get(id);
      if (!m?.lods.some((l) => l.level === level)) return null;
      return join(dir, id, lodFile(level));
    },
    add(summary, lods) {
      if (!MODEL_ID_PATTERN.test(summary.id)) throw new Error(`bad model id ${summary.id}`);
      const tmp = join(dir, `.tmp-${summary.id}`);
      try {
        mkdirSync(tmp);
        lods.forEach((glb, level) => {
          writeFileSync(join(tmp, lodFile(level)), glb, { flush: true });
        });
        writeFileSync(join(tmp, SUMMARY), JSON.stringify(summary), { flush: true });
        renameSync(tmp, join(dir, summary.id));
      } catch (err) {
        rmSync(tmp, { recursive: true, force: true });
        throw err;
      }
      models.set(summary.id, summary);
    },
    remove(id) {
      if (!models.has(id)) return false;
      // Out of the listing at once (one rename), then deleted.
      const gone = join(dir, `.del-${id}`);
      renameSync(join(dir, id), gone);
      models.delete(id);
      rmSync(gone, { recursive: true, force: true });
      return true;
    },
  };
}
