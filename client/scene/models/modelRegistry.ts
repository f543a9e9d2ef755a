import type { BufferGeometry, Material, Object3D } from 'three';
import { create } from 'zustand';
import type { ModelSummary } from '../../../protocol';
import { fetchModelFile, fetchModels } from './modelApi';
import { buildLodTemplate, type ModelLodTemplate } from './modelTemplate';

/** A model whose levels are parsed and ready to instance. */
export interface LoadedModel {
  readonly summary: ModelSummary;
  /** Level 0 (full) first. */
  readonly lods: readonly ModelLodTemplate[];
  /** Level 0's scene as loaded (the building shell draws it as it is). */
  readonly scene: Object3D;
  dispose(): void;
}

/** The models the server keeps and those loaded so far (low-rate facts: React may read them). */
export interface ModelRegistryState {
  /** As listed by the server, newest first. */
  models: ModelSummary[];
  /** Parsed models by id. */
  loaded: Record<string, LoadedModel>;
  /** Models whose files could not be fetched or parsed: id -> why (their equipment keeps the built-in look). */
  failed: Record<string, string>;
}

export const useModelRegistry = create<ModelRegistryState>(() => ({ models: [], loaded: {}, failed: {} }));

const pending = new Set<string>();
let listing = 0;

/**
 * Reads the model list again (after login and after an upload or deletion in this session) and
 * frees the models no longer listed. A refused list (no login, no model store) leaves none.
 */
export async function refreshModels(): Promise<void> {
  const me = ++listing;
  const r = await fetchModels();
  if (me !== listing) return;
  const models = r.ok && Array.isArray(r.models) ? r.models : [];
  const keep = new Set(models.map((m) => m.id));
  const { loaded, failed } = useModelRegistry.getState();
  const nextLoaded: Record<string, LoadedModel> = {};
  for (const [id, m] of Object.entries(loaded)) {
    if (keep.has(id)) nextLoaded[id] = m;
    else m.dispose();
  }
  const nextFailed = Object.fromEntries(Object.entries(failed).filter(([id]) => keep.has(id)));
  useModelRegistry.setState({ models, loaded: nextLoaded, failed: nextFailed });
}

/** Forgets every model (logout). */
export function clearModels(): void {
  listing++;
  for (const m of Object.values(useModelRegistry.getState().loaded)) m.dispose();
  useModelRegistry.setState({ models: [], loaded: {}, failed: {} });
}

/** Starts loading the listed models among `ids` not loaded, loading or failed yet. */
export function ensureLoaded(ids: Iterable<string>): void {
  const { models, loaded, failed } = useModelRegistry.getState();
  for (const id of ids) {
    if (loaded[id] || failed[id] || pending.has(id)) continue;
    const summary = models.find((m) => m.id === id);
    if (!summary) continue;
    pending.add(id);
    loadModel(summary).then(
      (model) => {
        pending.delete(id);
        if (!useModelRegistry.getState().models.some((m) => m.id === id)) return model.dispose();
        useModelRegistry.setState((s) => ({ loaded: { ...s.loaded, [id]: model } }));
      },
      (err: unknown) => {
        pending.delete(id);
        const why = err instanceof Error ? err.message : String(err);
        console.warn(
          `Model "${summary.name}" (${id}) could not be loaded; the built-in look is drawn: ${why}`,
        );
        useModelRegistry.setState((s) => ({ failed: { ...s.failed, [id]: why } }));
      },
    );
  }
}

/** Fetches and parses every level of a model (meshopt-compressed GLBs). */
async function loadModel(summary: ModelSummary): Promise<LoadedModel> {
  const [{ GLTFLoader }, { MeshoptDecoder }] = await Promise.all([
    import('three/examples/jsm/loaders/GLTFLoader.js'),
    import('three/examples/jsm/libs/meshopt_decoder.module.js'),
  ]);
  const loader = new GLTFLoader().setMeshoptDecoder(MeshoptDecoder);
  const levels = [...summary.lods].sort((a, b) => a.level - b.level);
  if (levels.length === 0) throw new Error('the model has no levels');
  const scenes = await Promise.all(
    levels.map(async (l) => {
      const bytes = await fetchModelFile(l.url);
      const gltf = await loader.parseAsync(bytes, '');
      return gltf.scene;
    }),
  );
  const lods = scenes.map((s) => buildLodTemplate(s, summary.joints));
  return {
    summary,
    lods,
    scene: scenes[0],
    dispose() {
      const geometries = new Set<BufferGeometry>();
      const materials = new Set<Material>();
      for (const l of lods)
        for (const p of l.pieces) {
          geometries.add(p.geometry);
          materials.add(p.material);
        }
      for (const g of geometries) g.dispose();
      for (const m of materials) {
        for (const v of Object.values(m)) if (v && typeof v === 'object' && 'isTexture' in v) v.dispose();
        m.dispose();
      }
    },
  };
}
