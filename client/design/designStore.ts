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
  /** Everything selected (Shift/Ctrl+click adds), `selected` included and last: moved, turned, deleted and copied together. */
  selection: readonly string[];
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
  /** Adds `id` to the selection (it becomes `selected`), or takes it out when it is in. */
  toggleSelect: (id: string) => void;
  /** Selects exactly `ids`, the last one as `selected`. */
  selectMany: (ids: readonly string[]) => void;
  setSnap: (on: boolean) => void;
  setTool: (tool: GizmoTool) => void;
}

function errorsOf(layout: DraftLayout, lines: string[]): { errors: DraftError[]; errorIds: Set<string> } {
  const errors = lines.map((text) => ({ text, equipment: equipmentOfError(layout, text) }));
  return { errors, errorIds: new Set(errors.flatMap((e) => (e.equipment ? [e.equipment] : []))) };
}

/** The selection without what the layout no longer has. */
function keepThere(layout: DraftLayout, ids: readonly string[]): readonly string[] {
  if (ids.length === 0) return ids;
  const there = new Set(equipmentOf(layout).map((e) => e.id));
  const kept = ids.filter((id) => there.has(id));
  return kept.length === ids.length ? ids : kept;
}

/** The selection as `selected` (the last) and `selection`. */
function selecting(ids: readonly string[]): Pick<DesignEditorState, 'selected' | 'selection'> {
  return { selected: ids.length ? ids[ids.length - 1] : null, selection: ids };
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
  selection: [],
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
      selection: [],
      canUndo: false,
      canRedo: false,
      ...errorsOf(layout, errors),
    }),
  // The layout sent (JSON-equal to what the server stored): unsaved again once edits differ from it.
  markSaved: (design, layout, errors) => set({ design, saved: layout, ...errorsOf(layout, errors) }),
  edit: (change, select) => {
    const { history, selection, binding } = get();
    const next = change(history.present);
    if (next === history.present) return;
    const sel =
      select === undefined
        ? selecting(keepThere(next, selection))
        : selecting(select === null ? [] : [select]);
    if (!binding) {
      set({ history: commit(history, next), ...sel, canUndo: true, canRedo: false });
      return;
    }
    // The present first, so that the doc's echo of this edit finds it already there.
    set({ history: startHistory(next), ...sel });
    binding.apply(history.present, next);
  },
  receive: (layout, synced) => {
    const { selection, saved } = get();
    set({
      history: startHistory(layout),
      ...selecting(keepThere(layout, selection)),
      saved: synced ? layout : saved,
    });
  },
  undo: () => {
    const { binding } = get();
    if (binding) return binding.undo();
    const h = undo(get().history);
    set({
      history: h,
      ...selecting(keepThere(h.present, get().selection)),
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
      ...selecting(keepThere(h.present, get().selection)),
      canUndo: true,
      canRedo: h.future.length > 0,
    });
  },
  select: (id) => set(selecting(id === null ? [] : [id])),
  toggleSelect: (id) => {
    const ids = get().selection;
    set(selecting(ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]));
  },
  selectMany: (ids) => set(selecting([...new Set(ids)])),
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
