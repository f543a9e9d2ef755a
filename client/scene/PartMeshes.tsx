import type { Part } from './instancedPart';

/** Props of PartMeshes. */
export type PartMeshesProps = {
  /** The parts to mount (their InstancedMeshes, as created). */
  parts: Record<string, Part>;
};

/** Mounts a kind's InstancedMeshes into the scene graph. */
export function PartMeshes({ parts }: PartMeshesProps) {
  return (
    <>
      {Object.values(parts).map((p) => (
        <primitive key={p.mesh.uuid} object={p.mesh} />
      ))}
    </>
  );
}
