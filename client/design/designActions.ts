import { create } from 'zustand';
import type { EquipmentKind } from '../../protocol';
import type { ApiRefusal } from '../auth/api';
import type { MessageKey } from '../i18n/messages';
import { useCollabStore } from './collabStore';
import { fetchExport, saveLayout, saveVersion } from './designApi';
import { isDirty, useDesignStore } from './designStore';
import { designView } from './designView';
import { removeMany } from './edits/selectionEdits';
import { addEquipment, duplicateEquipment, MOVE_SNAP_M, snapTo } from './layoutEdits';

/** The outcome of the last save, shown beside the Save button. */
export type SaveNotice =
  | { tone: 'ok'; key: MessageKey; params?: Record<string, string> }
  | { tone: 'error'; key: MessageKey; refusal: ApiRefusal };

/** Whether a save is on its way, and what the last one said. */
export const useSaveStore = create<{ saving: boolean; notice: SaveNotice | null }>(() => ({
  saving: false,
  notice: null,
}));

/** Adds a new `kind` at the centre of the view (on the grid when snapping) and selects it. */
export function addAtCentre(kind: EquipmentKind): void {
  const s = useDesignStore.getState();
  const { x, z } = designView.centre;
  const px = s.snap ? snapTo(x, MOVE_SNAP_M) : Number(x.toFixed(2));
  const pz = s.snap ? snapTo(z, MOVE_SNAP_M) : Number(z.toFixed(2));
  const r = addEquipment(s.history.present, kind, px, pz);
  s.edit(() => r.layout, r.id);
}

/** Duplicates the selected equipment beside it and selects the copy. */
export function duplicateSelected(): void {
  const s = useDesignStore.getState();
  if (!s.selected) return;
  const r = duplicateEquipment(s.history.present, s.selected);
  if (r) s.edit(() => r.layout, r.id);
}

/** Deletes the selected equipment (all of a multi-selection). */
export function deleteSelected(): void {
  const s = useDesignStore.getState();
  const ids = s.selection.length ? s.selection : s.selected ? [s.selected] : [];
  if (ids.length) s.edit((l) => removeMany(l, ids), null);
}

/** Longest wait for live edits to reach the server before a save (Ctrl+S, what-if) gives up, ms. */
const SYNC_WAIT_MS = 15_000;

/**
 * Resolves true once the present layout is stored. Live editing saves every edit as it is made, so
 * this waits for them to arrive (false when offline or after SYNC_WAIT_MS); without it, PUTs the
 * whole present layout and the answer's errors replace the list.
 */
export async function saveDraft(): Promise<boolean> {
  const s = useDesignStore.getState();
  if (!s.design || useSaveStore.getState().saving) return false;
  if (s.binding) return waitSynced();
  const layout = s.history.present;
  useSaveStore.setState({ saving: true });
  const r = await saveLayout(s.design.id, layout);
  if (!r.ok) {
    useSaveStore.setState({ saving: false, notice: { tone: 'error', key: 'design.saveFailed', refusal: r } });
    return false;
  }
  // What was sent is what is stored now, even if edits came in while the answer travelled.
  useDesignStore.getState().markSaved(r.design, layout, r.errors);
  useSaveStore.setState({ saving: false, notice: null });
  return true;
}

function waitSynced(): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false;
    const stops: (() => void)[] = [];
    const done = (ok: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const stop of stops) stop();
      resolve(ok);
    };
    const test = () => {
      if (useCollabStore.getState().status === 'offline') done(false);
      else if (!isDirty(useDesignStore.getState())) done(true);
    };
    const timer = setTimeout(() => done(false), SYNC_WAIT_MS);
    stops.push(useDesignStore.subscribe(test), useCollabStore.subscribe(test));
    test();
  });
}

/** Saves the draft (if it has unsaved changes), then keeps it as a version with `message`. */
export async function saveDraftVersion(message: string): Promise<boolean> {
  const s = useDesignStore.getState();
  if (!s.design) return false;
  if (isDirty(s) && !(await saveDraft())) return false;
  useSaveStore.setState({ saving: true });
  const r = await saveVersion(s.design.id, message);
  if (!r.ok) {
    useSaveStore.setState({ saving: false, notice: { tone: 'error', key: 'design.saveFailed', refusal: r } });
    return false;
  }
  const d = useDesignStore.getState().design;
  if (d) useDesignStore.setState({ design: { ...d, versions: d.versions + 1 } });
  useSaveStore.setState({
    saving: false,
    notice: { tone: 'ok', key: 'design.versionSaved', params: { message } },
  });
  return true;
}

/**
 * Downloads the saved draft as a plant file (GET export with the session's token, then a link to
 * the Blob); the server's refusal (422: the draft has errors) shows beside Save.
 */
export async function exportDraft(): Promise<boolean> {
  const id = useDesignStore.getState().design?.id;
  if (!id) return false;
  const r = await fetchExport(id);
  if (!r.ok) {
    useSaveStore.setState({ notice: { tone: 'error', key: 'design.exportFailed', refusal: r } });
    return false;
  }
  const url = URL.createObjectURL(r.blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = r.fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // After the browser has taken the download.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  useSaveStore.setState({ notice: { tone: 'ok', key: 'design.exported', params: { file: r.fileName } } });
  return true;
}
