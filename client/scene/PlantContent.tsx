import { useEffect, useMemo } from 'react';
import type { Layout } from '../../protocol';
import type { TwinBuffer } from '../state/twinBuffer';
import { Agvs } from './Agvs';
import { AlarmMarkers } from './AlarmMarkers';
import { BaseStations } from './BaseStations';
import { CameraRig } from './CameraRig';
import { ChargingDocks } from './ChargingDocks';
import { Conveyors } from './Conveyors';
import { Drones } from './Drones';
import { EdgeServers } from './EdgeServers';
import { Feeders } from './Feeders';
import { FloorAndZones } from './FloorAndZones';
import { FloorMarkings } from './FloorMarkings';
import { FrameDiagnostics } from './FrameDiagnostics';
import { HallStructure } from './HallStructure';
import { PlantModels } from './models/PlantModels';
import { useModelResolution } from './models/useModelResolution';
import { PickTargets } from './PickTargets';
import { buildPlantIndex } from './plantIndex';
import { Racks } from './Racks';
import { RobotArms } from './RobotArms';
import { SceneLighting } from './SceneLighting';
import { SelectionHighlight } from './SelectionHighlight';
import { SimMarkers } from './SimMarkers';
import { StaleFade } from './StaleFade';
import { StandInBadges } from './StandInBadges';
import { StateBeacons } from './StateBeacons';
import { createSceneResources } from './sceneResources';
import { ShowcaseStage } from './showcase/ShowcaseStage';
import { Transformers } from './Transformers';
import { VisionStations } from './VisionStations';
import { ZoneLabels } from './ZoneLabels';

/** Props of PlantContent. */
export type PlantContentProps = {
  /** The layout of the current snapshot. */
  layout: Layout;
  /** Its twin buffer (read in the frame loop only). */
  buffer: TwinBuffer;
  /** Operator (default) or showcase staging: lights, camera, data paths. */
  quality?: SceneQuality;
};

/** How the plant is staged: the operator's calm console or the lobby showcase. */
export type SceneQuality = 'operator' | 'showcase';

/** Everything drawn for one plant: environment, every equipment kind, picking, selection, alarms. */
export function PlantContent({ layout, buffer, quality = 'operator' }: PlantContentProps) {
  const plant = useMemo(() => buildPlantIndex(layout), [layout]);
  const res = useMemo(() => createSceneResources(), []);
  useEffect(() => () => res.dispose(), [res]);
  const kind = { plant, buffer, res };
  // Uploaded models need a login: the public showcase keeps the built-in shapes.
  const models = useModelResolution(layout.equipment, quality === 'operator');
  const shell = models.resolution.shell ? models.loaded[models.resolution.shell] : undefined;

  return (
    <>
      {quality === 'showcase' ? (
        <ShowcaseStage plant={plant} buffer={buffer} res={res} />
      ) : (
        <>
          <SceneLighting plant={plant} />
          <CameraRig plant={plant} buffer={buffer} />
        </>
      )}
      <FrameDiagnostics plant={plant} buffer={buffer} />
      <StaleFade buffer={buffer} res={res} />

      <FloorAndZones plant={plant} />
      <FloorMarkings plant={plant} />
      <ZoneLabels plant={plant} />
      {!shell && <HallStructure plant={plant} res={res} />}

      <RobotArms {...kind} />
      <Agvs {...kind} />
      <Drones {...kind} />
      <Conveyors {...kind} />
      <VisionStations {...kind} />
      <BaseStations {...kind} />
      <ChargingDocks {...kind} />
      <Transformers {...kind} />
      <EdgeServers {...kind} />
      <Racks {...kind} />
      <Feeders {...kind} />
      <PlantModels {...kind} models={models} />

      <StateBeacons plant={plant} buffer={buffer} res={res} />
      <AlarmMarkers plant={plant} buffer={buffer} res={res} />
      <SimMarkers plant={plant} buffer={buffer} res={res} />
      <StandInBadges plant={plant} buffer={buffer} res={res} />
      <PickTargets plant={plant} buffer={buffer} modelled={res.modelled} />
      <SelectionHighlight plant={plant} buffer={buffer} />
    </>
  );
}
