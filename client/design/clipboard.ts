import { useDesignStore } from './designStore';
import { copyMany, pasteEquipment } from './edits/selectionEdits';
import type { DraftEquipment } from './layoutEdits';

/**
 * The editor's own clipboard for equipment (Ctrl+C / Ctrl+V): copies kept in memory for this page,
 * so a paste works across drafts without asking the browser for clipboard permission.
 */
let copied: DraftEquipment[] = [];

/** Copies the selection; returns how many pieces were copied. */
export function copySelection(): number {
  const s = useDesignStore.getState();
  const items = copyMany(s.history.present, s.selection);
  if (items.length) copied = items;
  return items.length;
}

/** Pastes what was copied beside the originals, with fresh ids, and selects the copies. */
export function pasteCopied(): void {
  if (copied.length === 0) return;
  const s = useDesignStore.getState();
  const r = pasteEquipment(s.history.present, copied);
  s.edit(() => r.layout);
  useDesignStore.getState().selectMany(r.ids);
  // A second paste lands beside the first, not on top of it.
  copied = copied.map((e) => ({ ...e, position: [e.position[0] + 2, e.position[1], e.position[2]] }));
}
