import { Group, Matrix4, Mesh, MeshStandardMaterial, Object3D, SphereGeometry, Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import { glbNodeNames } from '../../client/scene/models/glbNodeNames';
import { lodForDistance, MODEL_LOD_DISTANCES } from '../../client/scene/models/modelLod';
import { buildLodTemplate, jointRotation } from '../../client/scene/models/modelTemplate';
import { resolveModels } from '../../client/scene/models/resolveModels';
import type { EquipmentKind, ModelSummary, ModelTarget } from '../../protocol';

function model(id: string, target: ModelTarget, createdAt: number): ModelSummary {
  return {
    id,
    name: id,
    target,
    joints: null,
    uploadedBytes: 1,
    bytes: 1,
    lods: [],
    bounds: { min: [0, 0, 0], max: [1, 1, 1] },
    pick: [],
    createdBy: 'e',
    createdAt,
  };
}

const plant: { id: string; kind: EquipmentKind }[] = [
  { id: 'R1', kind: 'robot-arm' },
  { id: 'R2', kind: 'robot-arm' },
  { id: 'A1', kind: 'agv' },
];

describe('model resolution', () => {
  it('draws every piece of a kind with the kind model and leaves other kinds built in', () => {
    const r = resolveModels(plant, [model('m-a', { kind: 'robot-arm' }, 1)]);
    expect(r.perEquipment).toEqual(['m-a', 'm-a', null]);
    expect(r.copies.get('m-a')).toEqual([0, 1]);
    expect(r.shell).toBeNull();
  });

  it('lets a model for one piece of equipment beat a newer kind model', () => {
    const r = resolveModels(plant, [
      model('m-k', { kind: 'robot-arm' }, 9),
      model('m-e', { equipment: 'R2' }, 1),
    ]);
    expect(r.perEquipment).toEqual(['m-k', 'm-e', null]);
  });

  it('picks the newest model among those of the same target, and of the shell', () => {
    const r = resolveModels(plant, [
      model('m-old', { kind: 'agv' }, 1),
      model('m-new', { kind: 'agv' }, 5),
      model('m-s1', { shell: true }, 2),
      model('m-s2', { shell: true }, 3),
    ]);
    expect(r.perEquipment[2]).toBe('m-new');
    expect(r.shell).toBe('m-s2');
  });

  it('falls back past a model that failed to load', () => {
    const models = [model('m-k', { kind: 'robot-arm' }, 1), model('m-e', { equipment: 'R1' }, 2)];
    expect(resolveModels(plant, models, new Set(['m-e'])).perEquipment).toEqual(['m-k', 'm-k', null]);
    expect(resolveModels(plant, models, new Set(['m-e', 'm-k'])).perEquipment).toEqual([null, null, null]);
  });

  it('draws nothing with a model whose equipment is not in the plant', () => {
    const r = resolveModels(plant, [model('m-x', { equipment: 'Z9' }, 1)]);
    expect(r.perEquipment).toEqual([null, null, null]);
    expect(r.copies.size).toBe(0);
  });
});

describe('level of detail by camera distance', () => {
  it('draws the full model close up and coarser levels farther away', () => {
    expect(lodForDistance(5, 3)).toBe(0);
    expect(lodForDistance(MODEL_LOD_DISTANCES[0] + 5, 3)).toBe(1);
    expect(lodForDistance(MODEL_LOD_DISTANCES[1] + 5, 3)).toBe(2);
  });

  it('never asks for a level the model does not have', () => {
    expect(lodForDistance(500, 1)).toBe(0);
    expect(lodForDistance(500, 2)).toBe(1);
  });

  it('keeps the level shown near a threshold (no flicker while orbiting)', () => {
    const edge = MODEL_LOD_DISTANCES[0];
    expect(lodForDistance(edge + 0.5, 3, 0)).toBe(0);
    expect(lodForDistance(edge - 0.5, 3, 1)).toBe(1);
    expect(lodForDistance(edge + 5, 3, 0)).toBe(1);
  });
});

/** A chain Base > Shoulder > ... > Flange, 0.3 m apart, with a mesh on each node but the last. */
function arm(): Group {
  const root = new Group();
  let parent: Object3D = root;
  for (const name of ['Base', 'Shoulder', 'Elbow', 'Wrist 1', 'Wrist2', 'Flange']) {
    const node = new Object3D();
    node.name = name.replace(' ', '_'); // as three's GLTFLoader names it
    node.position.set(0, parent === root ? 0 : 0.3, 0);
    if (name !== 'Flange') node.add(new Mesh(new SphereGeometry(0.1), new MeshStandardMaterial()));
    parent.add(node);
    parent = node;
  }
  return root;
}

const JOINTS = { j1: 'Base', j2: 'Shoulder', j3: 'Elbow', j4: 'Wrist 1', j5: 'Wrist2', j6: 'Flange' };

describe('model templates', () => {
  it('splits an arm into segments by each mesh’s nearest joint', () => {
    const t = buildLodTemplate(arm(), JOINTS);
    expect(t.articulated).toBe(true);
    expect(t.pieces.map((p) => p.segment)).toEqual([0, 1, 2, 3, 4]);
    expect([...t.jointParent]).toEqual([-1, 0, 1, 2, 3, 4]);
    // Each joint rests 0.3 m above its parent (the first at the root).
    const v = new Vector3().setFromMatrixPosition(t.jointRest[2]);
    expect(v.y).toBeCloseTo(0.3);
  });

  it('turns the links above a joint about the documented axis', () => {
    const t = buildLodTemplate(arm(), JOINTS);
    // j2 at +90°: the elbow (0.3 m up the shoulder frame) leans to +x.
    const posed = [new Matrix4(), new Matrix4()];
    const rot = new Matrix4();
    posed[0].multiplyMatrices(new Matrix4(), t.jointRest[0]).multiply(jointRotation(rot, 0, 0));
    posed[1].multiplyMatrices(posed[0], t.jointRest[1]).multiply(jointRotation(rot, 1, Math.PI / 2));
    const elbow = new Vector3().setFromMatrixPosition(
      new Matrix4().multiplyMatrices(posed[1], t.jointRest[2]),
    );
    expect(elbow.x).toBeCloseTo(0.3);
    expect(elbow.y).toBeCloseTo(0.3);
  });

  it('draws a model rigid when its joints are not all found', () => {
    const t = buildLodTemplate(arm(), { ...JOINTS, j6: 'Nope' });
    expect(t.articulated).toBe(false);
    expect(t.pieces.every((p) => p.segment === -1)).toBe(true);
    // Rigid pieces keep their place in the model: the third sphere sits 0.6 m up.
    expect(new Vector3().setFromMatrixPosition(t.pieces[2].matrix as Matrix4).y).toBeCloseTo(0.6);
  });
});

describe('GLB node names', () => {
  it('reads the node names of a GLB and nothing from other bytes', () => {
    const json = new TextEncoder().encode(
      JSON.stringify({ asset: { version: '2.0' }, nodes: [{ name: 'A1' }, {}, { name: 'A2' }] }),
    );
    const pad = (4 - (json.length % 4)) % 4;
    const buf = new ArrayBuffer(20 + json.length + pad);
    const v = new DataView(buf);
    v.setUint32(0, 0x46546c67, true);
    v.setUint32(4, 2, true);
    v.setUint32(8, buf.byteLength, true);
    v.setUint32(12, json.length + pad, true);
    v.setUint32(16, 0x4e4f534a, true);
    new Uint8Array(buf, 20).set(json);
    new Uint8Array(buf, 20 + json.length, pad).fill(0x20);
    expect(glbNodeNames(buf)).toEqual(['A1', 'A2']);
    expect(glbNodeNames(new TextEncoder().encode('not a glb at all, really').buffer as ArrayBuffer)).toEqual(
      [],
    );
  });
});
