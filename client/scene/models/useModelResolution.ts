import { useEffect, useMemo } from 'react';
import { useAuthStore } from '../../auth/authStore';
import {
  clearModels,
  ensureLoaded,
  type LoadedModel,
  refreshModels,
  useModelRegistry,
} from './modelRegistry';
import { type ModelResolution, resolveModels } from './resolveModels';

/** The layout's resolution against the listed models, and the models loaded so far. */
export interface ModelsInScene {
  resolution: ModelResolution;
  loaded: Readonly<Record<string, LoadedModel>>;
  failed: Readonly<Record<string, string>>;
}

const NO_MODELS: ModelsInScene = {
  resolution: { perEquipment: [], shell: null, copies: new Map() },
  loaded: {},
  failed: {},
};

/**
 * Lists the server's models once logged in (`enabled`; never without a token) and loads those the
 * equipment (a layout's, in layout order) uses. Models whose files failed are left out, so their equipment keeps the built-in look.
 */
export function useModelResolution(
  equipment: readonly { id: string; kind: string }[],
  enabled: boolean,
): ModelsInScene {
  const token = useAuthStore((s) => s.token);
  const on = enabled && token !== null;
  useEffect(() => {
    if (on) void refreshModels();
    else if (token === null) clearModels();
  }, [on, token]);
  const models = useModelRegistry((s) => s.models);
  const loaded = useModelRegistry((s) => s.loaded);
  const failed = useModelRegistry((s) => s.failed);
  const resolution = useMemo(
    () => (on ? resolveModels(equipment, models, new Set(Object.keys(failed))) : NO_MODELS.resolution),
    [on, equipment, models, failed],
  );
  useEffect(() => {
    const ids = [...resolution.copies.keys()];
    if (resolution.shell) ids.push(resolution.shell);
    ensureLoaded(ids);
  }, [resolution]);
  return on ? { resolution, loaded, failed } : NO_MODELS;
}
