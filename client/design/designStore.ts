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

/**
 * Where edits go when the draft is edited live (collabBinding.ts): `apply` writes the change from
 * `from` to `to` into the shared doc, and undo/redo are the doc's (the user's own changes only).
 */
export interface EditBinding {
  apply(from: DraftLayout, to: DraftLayout): void;
  undo(): void;
  redo(): void;
}

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
  /** Live editing: edits go to the shared doc and undo is its own (null: edits stay local). */
  binding: EditBinding | null;
  /** Whether undo and redo have anything to do (live editing: the user's own changes). */
  canUndo: boolean;
  canRedo: boolean;
  /** Moves snap to the 0.5 m grid and turns to 15° steps. */
  snap: boolean;
  tool: GizmoTool;
  /** Opens a draft as the server answered it. */
  open: (design: DesignSummary, layout: DraftLayout, errors: string[]) => void;
  /** The server stored `layout` (the one sent by a save): it becomes the saved one, with its errors. */
  markSaved: (design: DesignSummary, layout: DraftLayout, errors: string[]) => void;
  /**
   * An edit: `change` maps the present layout to the next (the same object: nothing happened). The
   * one entry point of every edit: when the draft is edited live it flows through the binding.
   */
  edit: (change: (l: DraftLayout) => DraftLayout, select?: string | null) => void;
  /**
   * The shared doc changed (someone else's edit, or undo/redo): `layout` becomes the present
   * without an undo step of its own; `synced`: nothing of this user's is still on its way.
   */
  receive: (layout: DraftLayout, synced: boolean) => void;
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
  binding: null,
  canUndo: false,
  canRedo: false,
  snap: true,
  tool: 'translate',
  open: (design, layout, errors) =>
    set({
      design,
      history: startHistory(layout),
      saved: layout,
      selected: null,
      canUndo: false,
      canRedo: false,
      ...errorsOf(layout, errors),
    }),
  // The layout sent (JSON-equal to what the server stored): unsaved again once edits differ from it.
  markSaved: (design, layout, errors) => set({ design, saved: layout, ...errorsOf(layout, errors) }),
  edit: (change, select) => {
    const { history, selected, binding } = get();
    const next = change(history.present);
    if (next === history.present) return;
    const sel = select === undefined ? stillThere(next, selected) : select;
    if (!binding) {
      set({ history: commit(history, next), selected: sel, canUndo: true, canRedo: false });
      return;
    }
    // The present first, so that the doc's echo of this edit finds it already there.
    set({ history: startHistory(next), selected: sel });
    binding.apply(history.present, next);
  },
  receive: (layout, synced) => {
    const { selected, saved } = get();
    set({
      history: startHistory(layout),
      selected: stillThere(layout, selected),
      saved: synced ? layout : saved,
    });
  },
  undo: () => {
    const { binding } = get();
    if (binding) return binding.undo();
    const h = undo(get().history);
    set({
      history: h,
      selected: stillThere(h.present, get().selected),
      canUndo: h.past.length > 0,
      canRedo: true,
    });
  },
  redo: () => {
    const { binding } = get();
    if (binding) return binding.redo();
    const h = redo(get().history);
    set({
      history: h,
      selected: stillThere(h.present, get().selected),
      canUndo: true,
      canRedo: h.future.length > 0,
    });
  },
  select: (id) => set({ selected: id }),
  setSnap: (snap) => set({ snap }),
  setTool: (tool) => set({ tool }),
}));

/** The loader's problems with `layout`, as the server would list them (live editing checks locally). */
export function setErrors(layout: DraftLayout, lines: string[]): void {
  useDesignStore.setState(errorsOf(layout, lines));
}

/** Whether the present layout differs from the one the server holds. */
export function isDirty(s: Pick<DesignEditorState, 'history' | 'saved'>): boolean {
  return s.saved !== null && s.history.present !== s.saved;
}
