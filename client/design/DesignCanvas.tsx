import { OrbitControls } from '@react-three/drei';
import { Canvas, useThree } from '@react-three/fiber';
import { useEffect, useMemo, useRef } from 'react';
import { NeutralToneMapping } from 'three';
import type { OrbitControls as OrbitControlsImpl } from 'three-stdlib';
import { useModelResolution } from '../scene/models/useModelResolution';
import { palette } from '../theme';
import { AreaSelect } from './AreaSelect';
import { ChangeMarksView } from './ChangeMarksView';
import { CommentPins } from './CommentPins';
import { changeMarks } from './changeMarks';
import { DesignEquipment, type EquipmentLink } from './DesignEquipment';
import { DesignFloor } from './DesignFloor';
import { DesignModels } from './DesignModels';
import { DesignPaths } from './DesignPaths';
import { DesignRoutes } from './DesignRoutes';
import { useDesignPanels } from './designPanels';
import { useDesignStore } from './designStore';
import { designView, draftBounds } from './designView';
import { ErrorMarksView } from './ErrorMarksView';
import { nodeOfError } from './edits/pathEdits';
import { HeatMap } from './HeatMap';
import { type DraftEquipment, equipmentOf, findEquipment } from './layoutEdits';
import { pickForFlow } from './layoutTools';
import { PresenceView } from './PresenceView';
import { SelectionGizmo } from './SelectionGizmo';
import { ZoneTools } from './ZoneTools';

/** Props of DesignCanvas (none: it reads the design store). */
export type DesignCanvasProps = Record<string, never>;

const DPR: [number, number] = [1, 1.5];

/** Keeps designView's camera, canvas and orbit centre current for the HUD (new equipment goes there). */
function ViewLink({ centre }: { centre: { x: number; z: number } }) {
  const camera = useThree((s) => s.camera);
  const gl = useThree((s) => s.gl);
  const controls = useThree((s) => s.controls) as OrbitControlsImpl | null;
  useEffect(() => {
    designView.camera = camera;
    designView.canvas = gl.domElement;
    return () => {
      designView.camera = null;
      designView.canvas = null;
    };
  }, [camera, gl]);
  useEffect(() => {
    if (!controls) return;
    const update = () => {
      designView.centre.x = controls.target.x;
      designView.centre.z = controls.target.z;
    };
    designView.controls = controls;
    update();
    controls.addEventListener('change', update);
    return () => {
      controls.removeEventListener('change', update);
      designView.controls = null;
    };
  }, [controls]);
  // The opening centre, before the controls report a change.
  useEffect(() => {
    designView.centre.x = centre.x;
    designView.centre.z = centre.z;
  }, [centre]);
  return null;
}

/**
 * The draft in 3D: its zones and grid, every equipment as a box of its footprint, the selection's
 * outline and move/turn gizmo, and orbit controls. No telemetry: a draft is a drawing, not the plant.
 */
export function DesignCanvas(_: DesignCanvasProps) {
  const layout = useDesignStore((s) => s.history.present);
  const selectedId = useDesignStore((s) => s.selected);
  const errorIds = useDesignStore((s) => s.errorIds);
  const errors = useDesignStore((s) => s.errors);
  const design = useDesignStore((s) => s.design);
  const equipment = useMemo(() => equipmentOf(layout), [layout]);
  const selected = selectedId ? findEquipment(layout, selectedId) : null;
  const selectionIds = useDesignStore((s) => s.selection);
  // The rest of a multi-selection: outlined, and moved and turned with the gizmo's piece.
  const others = useMemo(
    () => equipment.filter((e) => e.id !== selectedId && selectionIds.includes(e.id)),
    [equipment, selectedId, selectionIds],
  );
  const changesOpen = useDesignPanels((s) => s.changesOpen);
  const diff = useDesignPanels((s) => s.diff);
  const baselineLayout = useDesignPanels((s) => s.baselineLayout);
  const saved = useDesignStore((s) => s.saved);
  // Errors are of the saved layout: their indices are read in it.
  const errorNodes = useMemo(
    () => new Set(errors.flatMap((e) => nodeOfError(saved ?? layout, e.text) ?? [])),
    [errors, saved, layout],
  );
  const heat = useDesignPanels((s) => s.heat);
  const whatIf = useDesignPanels((s) => s.whatIf);
  // The diff is of the layout as saved: its marks sit where the saved layout has the equipment.
  const marks = useMemo(
    () => (changesOpen && diff && saved ? changeMarks(diff, saved, baselineLayout) : null),
    [changesOpen, diff, saved, baselineLayout],
  );
  const heatGrid =
    whatIf && heat ? (heat === 'rsrp' ? whatIf.draft.heat.rsrp : whatIf.draft.heat.agvTraffic) : null;
  // Uploaded models draw the draft's equipment as they would in the plant (see useModelResolution).
  const models = useModelResolution(equipment, true);
  const modelled = useMemo(() => {
    const out: [string, DraftEquipment[]][] = [];
    for (const [id, list] of models.resolution.copies)
      if (models.loaded[id]) out.push([id, list.map((i) => equipment[i])]);
    return out;
  }, [models, equipment]);
  const flat = useMemo(() => new Set(modelled.flatMap(([, list]) => list.map((e) => e.id))), [modelled]);
  const link = useRef<EquipmentLink>({ mesh: null, list: [], index: new Map() }).current;
  const pressed = useRef(false);
  // Framed once per draft: edits never move the camera.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reframe when another draft opens only.
  const bounds = useMemo(() => draftBounds(layout), [design?.id, layout.zones]);
  const centre = useMemo(
    () => ({ x: (bounds.minX + bounds.maxX) / 2, z: (bounds.minZ + bounds.maxZ) / 2 }),
    [bounds],
  );
  const span = Math.max(bounds.maxX - bounds.minX, bounds.maxZ - bounds.minZ, 20);
  // The opening view: the whole draft from the south, looking down at about 50°.
  return (
    <Canvas
      dpr={DPR}
      gl={{ antialias: true, toneMapping: NeutralToneMapping }}
      camera={{ fov: 40, near: 0.2, far: 5000, position: [centre.x, span * 0.55, centre.z + span * 0.46] }}
      onPointerMissed={(e) => {
        // A click on empty floor clears the selection; not a click on the gizmo's handles.
        const onGizmo = pressed.current;
        pressed.current = false;
        if (e.type === 'click' && !onGizmo) useDesignStore.getState().select(null);
      }}
      style={{ position: 'absolute', inset: 0, background: palette.background }}
      data-testid="design-canvas"
    >
      <color attach="background" args={[palette.background]} />
      <hemisphereLight args={['#eef3f8', '#3a4046', 1.3]} />
      <directionalLight color="#fff5ea" intensity={1.4} position={[0.45, 1.2, 0.75]} />
      <directionalLight color="#dfe8f2" intensity={0.5} position={[-0.6, 0.5, -0.7]} />
      <DesignFloor zones={layout.zones} bounds={bounds} />
      <DesignPaths layout={layout} errorNodes={errorNodes} bounds={bounds} />
      <ZoneTools layout={layout} bounds={bounds} />
      <DesignRoutes layout={layout} bounds={bounds} />
      <ErrorMarksView layout={layout} />
      <DesignEquipment
        equipment={equipment}
        errorIds={errorIds}
        link={link}
        onPick={(id, add) => {
          // While a line's flow is being picked, a click adds to it instead of selecting.
          if (pickForFlow(id)) return;
          if (add) useDesignStore.getState().toggleSelect(id);
          else useDesignStore.getState().select(id);
        }}
        flat={flat}
      />
      {modelled.map(([id, list]) => (
        <DesignModels key={id} model={models.loaded[id]} equipment={list} />
      ))}
      {heat && heatGrid && <HeatMap kind={heat} grid={heatGrid} />}
      {marks && <ChangeMarksView marks={marks} />}
      <SelectionGizmo selected={selected} others={others} link={link} pressed={pressed} />
      <PresenceView />
      <CommentPins />
      <AreaSelect />
      <OrbitControls
        makeDefault
        target={[centre.x, 0, centre.z]}
        maxPolarAngle={Math.PI / 2 - 0.05}
        minDistance={3}
        maxDistance={span * 3}
      />
      <ViewLink centre={centre} />
    </Canvas>
  );
}
