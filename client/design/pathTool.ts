import { create } from 'zustand';
import { useDesignStore } from './designStore';
import { addNode, connectNodes, nodesOf, removeNode } from './edits/pathEdits';
import { MOVE_SNAP_M, snapTo } from './layoutEdits';

/** The AGV path tool: whether it is on (the floor takes clicks as new nodes) and the chosen node. */
export interface PathToolState {
  on: boolean;
  node: string | null;
}

export const usePathTool = create<PathToolState>(() => ({ on: false, node: null }));

/** Turns the path tool on or off (off forgets the chosen node). */
export function setPathTool(on: boolean): void {
  usePathTool.setState({ on, node: on ? usePathTool.getState().node : null });
}

/** Chooses node `id` (the path tool comes on, so it can be edited). */
export function pickNode(id: string | null): void {
  usePathTool.setState({ on: usePathTool.getState().on || id !== null, node: id });
}

/** Adds a node where the floor was clicked (on the grid when snapping) and chooses it. */
export function addNodeAt(x: number, z: number): void {
  const s = useDesignStore.getState();
  const px = s.snap ? snapTo(x, MOVE_SNAP_M) : Number(x.toFixed(2));
  const pz = s.snap ? snapTo(z, MOVE_SNAP_M) : Number(z.toFixed(2));
  const r = addNode(s.history.present, px, pz);
  if (!r) return;
  s.edit(() => r.layout);
  usePathTool.setState({ node: r.id });
}

/** Connects the chosen node to `id` and chooses `id` (so a chain of aisles is drawn click by click). */
export function connectTo(id: string): void {
  const from = usePathTool.getState().node;
  if (!from || from === id) return;
  useDesignStore.getState().edit((l) => connectNodes(l, from, id));
  usePathTool.setState({ node: id });
}

/** Deletes the chosen node and its aisles. */
export function deleteNode(): void {
  const id = usePathTool.getState().node;
  if (!id) return;
  useDesignStore.getState().edit((l) => removeNode(l, id));
  usePathTool.setState({ node: null });
}

// A node that undo (or another edit) took away is no longer chosen.
useDesignStore.subscribe((s, prev) => {
  const { node } = usePathTool.getState();
  if (
    node &&
    s.history.present !== prev.history.present &&
    !nodesOf(s.history.present).some((n) => n.id === node)
  )
    usePathTool.setState({ node: null });
});
