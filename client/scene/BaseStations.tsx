import { useLayoutEffect } from 'react';
import { CircleGeometry, Matrix4, RingGeometry } from 'three';
import { box, cylinder, merge } from './geometryKit';
import { createPart, flushPart, hideInstance, setMatrix } from './instancedPart';
import type { KindProps } from './kindProps';
import { PartMeshes } from './PartMeshes';
import { cellHeight } from './plantIndex';
import { layoutPoseMatrix, poseMatrix } from './poseMath';
import { useParts } from './useParts';
import { useStateTint } from './useStateTint';

/** Props of BaseStations. */
export type BaseStationsProps = KindProps;

/**
 * Cells wider than this get only the coverage edge: a macro cell's disc spans the whole site, and
 * many of them (a repeated plant) would haze the floor.
 */
const MAX_FILLED_RADIUS = 60; // m
/** Coverage hint height above the floor, m (over the floor markings). */
const COVERAGE_Y = 0.03;

const _m = new Matrix4();

/** A flat unit disc/ring in the xz plane, positions only (drawn with a basic material). */
function flat(geo: CircleGeometry | RingGeometry) {
  geo.rotateX(-Math.PI / 2);
  geo.deleteAttribute('uv');
  geo.deleteAttribute('normal');
  return geo;
}

function cellGeometries() {
  return {
    // Mast 1 m tall (stretched to the mounting height per cell).
    mast: merge([cylinder(0.04, 0.05, 1, '#6c7379', { at: [0, 0.5, 0] }, 12)]),
    // Radio unit with its mounting bracket, hung at the mast top (state color).
    unit: merge([
      box(0.14, 0.46, 0.32, '#ffffff', { at: [0.09, -0.28, 0] }),
      box(0.05, 0.08, 0.12, '#8a9096', { at: [0.02, -0.12, 0] }),
      box(0.03, 0.12, 0.05, '#ffffff', { at: [0.1, 0.0, 0.1] }),
      box(0.03, 0.12, 0.05, '#ffffff', { at: [0.1, 0.0, -0.1] }),
    ]),
    disc: flat(new CircleGeometry(1, 72)),
    ring: flat(new RingGeometry(0.996, 1, 128, 1)),
  };
}

/**
 * All 5G cells: a mast with the radio unit at its mounting height, and a very faint coverage hint
 * on the floor (disc + ring of `props.radius`) that takes the cell's state color when abnormal.
 */
export function BaseStations({ plant, buffer, res }: BaseStationsProps) {
  const indices = plant.byKind['base-station'];
  const n = indices.length;
  const parts = useParts(
    () => {
      const g = cellGeometries();
      const s = plant.sphere;
      return {
        mast: createPart('cell.mast', g.mast, res.solid, n, 'trim', null, s),
        unit: createPart('cell.unit', g.unit, res.solid, n, 'body', null, s),
        disc: createPart('cell.coverage', g.disc, res.faint, n, 'body', null, s),
        ring: createPart('cell.coverageEdge', g.ring, res.ring, n, 'body', null, s),
      };
    },
    [plant, res],
    plant.detail,
  );
  useStateTint(indices, parts, buffer, res.modelled);
  // Draw the translucent hints after the floor and before equipment glass.
  parts.disc.mesh.renderOrder = 1;
  parts.ring.mesh.renderOrder = 1;

  useLayoutEffect(() => {
    for (let k = 0; k < n; k++) {
      const i = indices[k];
      const e = plant.layout.equipment[i];
      const h = cellHeight(e);
      const radius = e.kind === 'base-station' ? e.props.radius : 30;
      setMatrix(parts.mast, k, layoutPoseMatrix(_m, plant, i, 1, h, 1));
      _m.elements[13] = 0; // masts stand on the floor
      setMatrix(parts.mast, k, _m);
      setMatrix(parts.unit, k, layoutPoseMatrix(_m, plant, i));
      _m.elements[13] = h;
      setMatrix(parts.unit, k, _m);
      poseMatrix(_m, e.position[0], COVERAGE_Y, e.position[2], 0, radius, 1, radius);
      if (radius <= MAX_FILLED_RADIUS) setMatrix(parts.disc, k, _m);
      else hideInstance(parts.disc, k);
      setMatrix(parts.ring, k, _m);
    }
    for (const p of Object.values(parts)) flushPart(p);
  }, [plant, parts, indices, n]);

  return <PartMeshes parts={parts} />;
}
