import { useEffect } from 'react';
import { copySelection, pasteCopied } from './clipboard';
import { deleteSelected, duplicateSelected, saveDraft } from './designActions';
import { useDesignStore } from './designStore';
import { deleteNode, usePathTool } from './pathTool';

/** Whether a key press belongs to a text field (its own undo, typing letters) rather than the editor. */
function inField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return (
    !!el &&
    (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable)
  );
}

/**
 * The editor's keys: Ctrl+Z undo, Ctrl+Shift+Z (or Ctrl+Y) redo, Ctrl+S save, Ctrl+D duplicate,
 * Ctrl+C copy, Ctrl+V paste, Delete remove, M move, R rotate, Escape deselect. Outside text fields only (Ctrl+S everywhere).
 */
export function useDesignKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const s = useDesignStore.getState();
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 's') {
        e.preventDefault();
        void saveDraft();
        return;
      }
      if (inField(e.target)) return;
      if (mod && (key === 'y' || (key === 'z' && e.shiftKey))) s.redo();
      else if (mod && key === 'z') s.undo();
      else if (mod && key === 'd') duplicateSelected();
      else if (mod && key === 'c') copySelection();
      else if (mod && key === 'v') pasteCopied();
      else if (!mod && (e.key === 'Delete' || e.key === 'Backspace'))
        usePathTool.getState().node ? deleteNode() : deleteSelected();
      else if (!mod && !e.altKey && key === 'm') s.setTool('translate');
      else if (!mod && !e.altKey && key === 'r') s.setTool('rotate');
      else if (e.key === 'Escape') s.select(null);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
