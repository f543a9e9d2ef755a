import { useMemo } from 'react';
import type { LoadedModel } from './modelRegistry';

/** Props of ModelShell. */
export type ModelShellProps = {
  model: LoadedModel;
};

/**
 * The building shell's model in plant coordinates as authored (m, y up, origin at the plant's
 * origin), drawn once in place of the procedural hall walls. Its own materials: the hall is not
 * equipment, it has no state or data mark.
 */
export function ModelShell({ model }: ModelShellProps) {
  // A clone shares geometry and materials; the loaded scene itself stays free for other views.
  const scene = useMemo(() => {
    const s = model.scene.clone();
    s.name = `model.${model.summary.id}.shell`;
    return s;
  }, [model]);
  return <primitive object={scene} />;
}
