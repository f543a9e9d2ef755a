import { create } from 'zustand';
import type { DesignSummary } from '../../protocol';
import {
  commit,
  type DraftLayout,
  equipmentOf,
  equipmentOfError,
  type History,
  redo,
  startHistory,
  undo,
} from './layoutEdits';

/** One of the server's error lines, with the equipment it names (when it names one). */
export interface DraftError {
  text: string;
  equipment: string | null;
}

/** What the gizmo does to the selected equipment. */
export type GizmoTool = 'translate' | 'rotate';

/** The design editor's state: the open draft, its edit history, the selection and the last save. */
export interface DesignEditorState {
  design: DesignSummary | null;
  history: History;
  /** The layout as the server holds it (loaded or last saved): unsaved while the present differs. */
  saved: DraftLayout | null;
  /** The errors of the saved layout, as the server listed them. */
  errors: DraftError[];
  /** Ids of equipment some error names (marked in the scene). */
  errorIds: ReadonlySet<string>;
  selected: string | null;
  /** Moves snap to the 0.5 m grid and turns to 15° steps. */
  snap: boolean;
  tool: GizmoTool;
  /** Opens a draft as the server answered it. */
  open: (design: DesignSummary, layout: DraftLayout, errors: string[]) => void;
  /** The server stored `layout` (the one sent by a save): it becomes the saved one, with its errors. */
  markSaved: (design: DesignSummary, layout: DraftLayout, errors: string[]) => void;
  /** An edit: `change` maps the present layout to the next (the same object: nothing happened). */
  edit: (change: (l: DraftLayout) => DraftLayout, select?: string | null) => void;
  undo: () => void;
  redo: () => void;
  select: (id: string | null) => void;
  setSnap: (on: boolean) => void;
  setTool: (tool: GizmoTool) => void;
}

function errorsOf(layout: DraftLayout, lines: string[]): { errors: DraftError[]; errorIds: Set<string> } {
  const errors = lines.map((text) => ({ text, equipment: equipmentOfError(layout, text) }));
  return { errors, errorIds: new Set(errors.flatMap((e) => (e.equipment ? [e.equipment] : []))) };
}

/** Keeps the selection only while the layout still has that equipment. */
function stillThere(layout: DraftLayout, id: string | null): string | null {
  return id !== null && equipmentOf(layout).some((e) => e.id === id) ? id : null;
}

const EMPTY: DraftLayout = {};

/** The open draft of the design screen (one per page). */
export const useDesignStore = create<DesignEditorState>((set, get) => ({
  design: null,
  history: startHistory(EMPTY),
  saved: null,
  errors: [],
  errorIds: new Set(),
  selected: null,
  snap: true,
  tool: 'translate',
  open: (design, layout, errors) =>
    set({
      design,
      history: startHistory(layout),
      saved: layout,
      selected: null,
      ...errorsOf(layout, errors),
    }),
  // The layout sent (JSON-equal to what the server stored): unsaved again once edits differ from it.
  markSaved: (design, layout, errors) => set({ design, saved: layout, ...errorsOf(layout, errors) }),
  edit: (change, select) => {
    const { history, selected } = get();
    const next = change(history.present);
    if (next === history.present) return;
    set({
      history: commit(history, next),
      selected: select === undefined ? stillThere(next, selected) : select,
    });
  },
  undo: () => {
    const h = undo(get().history);
    set({ history: h, selected: stillThere(h.present, get().selected) });
  },
  redo: () => {
    const h = redo(get().history);
    set({ history: h, selected: stillThere(h.present, get().selected) });
  },
  select: (id) => set({ selected: id }),
  setSnap: (snap) => set({ snap }),
  setTool: (tool) => set({ tool }),
}));

/** Whether the present layout differs from the one the server holds. */
export function isDirty(s: Pick<DesignEditorState, 'history' | 'saved'>): boolean {
  return s.saved !== null && s.history.present !== s.saved;
}
