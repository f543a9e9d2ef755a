import { create } from 'zustand';
import { useDesignStore } from './designStore';
import { addLine, addZone, appendToFlow } from './edits/zoneLineEdits';
import { MOVE_SNAP_M, snapTo, zoneAt } from './layoutEdits';

/** Which tab the editor's right column shows. */
export type SideTab = 'equipment' | 'zones' | 'lines' | 'views' | 'routes';

/**
 * The zone and line tools: the right column's tab, the chosen zone and line, a zone being drawn
 * (its first corner once clicked) and whether clicks on equipment add it to the chosen line's flow.
 */
export interface LayoutToolsState {
  tab: SideTab;
  zone: string | null;
  line: string | null;
  /** Drawing a zone: the next floor clicks are its corners. */
  drawing: boolean;
  /** The first corner clicked, [x, z] m. */
  corner: [number, number] | null;
  /** Clicks on equipment append it to the chosen line's flow. */
  pickingFlow: boolean;
}

export const useLayoutTools = create<LayoutToolsState>(() => ({
  tab: 'equipment',
  zone: null,
  line: null,
  drawing: false,
  corner: null,
  pickingFlow: false,
}));

const snapped = (v: number) =>
  useDesignStore.getState().snap ? snapTo(v, MOVE_SNAP_M) : Number(v.toFixed(2));

/** A floor click while drawing a zone: the first corner, then the opposite one (which adds it). */
export function zoneCornerAt(x: number, z: number): void {
  const { corner } = useLayoutTools.getState();
  const p: [number, number] = [snapped(x), snapped(z)];
  if (!corner) {
    useLayoutTools.setState({ corner: p });
    return;
  }
  const s = useDesignStore.getState();
  const r = addZone(s.history.present, corner[0], corner[1], p[0], p[1]);
  if (!r) return;
  s.edit(() => r.layout);
  useLayoutTools.setState({ drawing: false, corner: null, zone: r.id, tab: 'zones' });
}

/** Adds a line in the chosen zone (or the one at the view's centre) and starts picking its flow. */
export function newLine(x: number, z: number): void {
  const s = useDesignStore.getState();
  const zone = useLayoutTools.getState().zone ?? zoneAt(s.history.present, x, z);
  const r = addLine(s.history.present, zone);
  s.edit(() => r.layout);
  useLayoutTools.setState({ line: r.id, pickingFlow: true, tab: 'lines' });
}

/** Appends equipment `id` to the chosen line's flow; false when no line is picking. */
export function pickForFlow(id: string): boolean {
  const { line, pickingFlow } = useLayoutTools.getState();
  if (!line || !pickingFlow) return false;
  useDesignStore.getState().edit((l) => appendToFlow(l, line, id));
  return true;
}
