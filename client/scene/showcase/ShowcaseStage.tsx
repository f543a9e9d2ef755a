import { useThree } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import { parseShowcaseParams } from '../../showcase/showcaseParams';
import { useTourStore } from '../../showcase/tourStore';
import { diagnostics } from '../../state/diagnostics';
import type { TwinBuffer } from '../../state/twinBuffer';
import type { PlantIndex } from '../plantIndex';
import type { SceneResources } from '../sceneResources';
import { AdaptiveQuality } from './AdaptiveQuality';
import { DataLinks } from './DataLinks';
import { ShadowCasting } from './ShadowCasting';
import { ShowcaseCamera } from './ShowcaseCamera';
import { ShowcaseLighting } from './ShowcaseLighting';

/** Props of ShowcaseStage. */
export type ShowcaseStageProps = {
  plant: PlantIndex;
  buffer: TwinBuffer;
  res: SceneResources;
};

/**
 * What the showcase adds to (and replaces in) the plant scene: full-material lighting with soft
 * shadows instead of the operator's lighting, the touring camera instead of the orbit rig, the
 * glowing 5G data paths, adaptive resolution, and renderer memory for `window.__twin.stats()`.
 */
export function ShowcaseStage({ plant, buffer, res }: ShowcaseStageProps) {
  const params = useMemo(() => parseShowcaseParams(window.location.search), []);
  const gl = useThree((s) => s.gl);

  useEffect(() => {
    diagnostics.rendererMemory = () => ({
      geometries: gl.info.memory.geometries,
      textures: gl.info.memory.textures,
      programs: gl.info.programs?.length ?? 0,
    });
    diagnostics.tour = () => {
      const t = useTourStore.getState();
      return t.viewpoint === null ? null : { viewpoint: t.viewpoint, index: t.index };
    };
    return () => {
      diagnostics.rendererMemory = () => null;
      diagnostics.tour = () => null;
    };
  }, [gl]);

  return (
    <>
      <ShowcaseLighting plant={plant} res={res} />
      <ShowcaseCamera plant={plant} buffer={buffer} params={params} />
      <ShadowCasting />
      <DataLinks plant={plant} buffer={buffer} res={res} />
      <AdaptiveQuality enabled={params.adaptive} />
    </>
  );
}
