import { useEffect, useLayoutEffect, useMemo } from 'react';
import { diagnostics, type ModelDrawView } from '../../state/diagnostics';
import type { KindProps } from '../kindProps';
import { ModelInstances } from './ModelInstances';
import { ModelShell } from './ModelShell';
import { useModelRegistry } from './modelRegistry';
import type { ModelsInScene } from './useModelResolution';

/** Props of PlantModels. */
export type PlantModelsProps = KindProps & {
  models: ModelsInScene;
};

/**
 * The plant's uploaded models: every loaded model with its copies, and the building shell. Marks
 * the equipment they draw so the built-in parts and pick boxes of those step aside.
 */
export function PlantModels({ plant, buffer, res, models }: PlantModelsProps) {
  const { resolution, loaded, failed } = models;
  const drawn = useMemo(() => {
    const out: [string, Int32Array][] = [];
    for (const [id, list] of resolution.copies) if (loaded[id]) out.push([id, Int32Array.from(list)]);
    return out;
  }, [resolution, loaded]);

  useLayoutEffect(() => {
    const mask = new Uint8Array(plant.count);
    for (const [, list] of drawn) for (const i of list) mask[i] = 1;
    res.modelled.mask = mask;
    res.modelled.version++;
    return () => {
      res.modelled.mask = new Uint8Array(0);
      res.modelled.version++;
    };
  }, [drawn, plant, res]);

  useEffect(() => {
    diagnostics.models = () => {
      const summaries = useModelRegistry.getState().models;
      const out: ModelDrawView[] = [];
      const view = (id: string, equipment: string[], shell: boolean) => {
        const m = summaries.find((s) => s.id === id);
        out.push({
          id,
          name: m?.name ?? id,
          equipment,
          shell,
          status: loaded[id] ? 'loaded' : failed[id] ? 'failed' : 'loading',
          lods: [...(diagnostics.modelLods.get(id) ?? [])],
          articulated: loaded[id]?.lods[0].articulated ?? false,
        });
      };
      for (const [id, list] of resolution.copies)
        view(
          id,
          list.map((i) => buffer.ids[i]),
          false,
        );
      // Failed models are left out of the resolution: report them with the equipment they were for.
      for (const id of Object.keys(failed)) if (!resolution.copies.has(id)) view(id, [], false);
      if (resolution.shell) view(resolution.shell, [], true);
      return out;
    };
    return () => {
      diagnostics.models = () => [];
    };
  }, [resolution, loaded, failed, buffer]);

  const shell = resolution.shell ? loaded[resolution.shell] : undefined;
  return (
    <>
      {drawn.map(([id, indices]) => (
        <ModelInstances
          key={id}
          plant={plant}
          buffer={buffer}
          res={res}
          model={loaded[id]}
          indices={indices}
        />
      ))}
      {shell && <ModelShell model={shell} />}
    </>
  );
}
