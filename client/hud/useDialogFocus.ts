import { type RefObject, useEffect, useRef, useState } from 'react';

/** What the keyboard can land on inside a dialog (disabled and hidden controls left out). */
const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), ' +
  'textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

/** The focusable elements inside `root`, in tab order of the document (only those shown). */
export function focusableIn(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.getClientRects().length > 0);
}

/** Whether an element can take the focus back: still in the page, shown and enabled. */
function canRefocus(el: Element | null): el is HTMLElement {
  return (
    el instanceof HTMLElement &&
    el.isConnected &&
    el !== document.body &&
    el.getClientRects().length > 0 &&
    !(el as HTMLButtonElement).disabled
  );
}

/** Dialogs open now, the newest last: only the newest answers Esc and keeps the focus. */
const open: object[] = [];

/** Options of useDialogFocus. */
export interface DialogFocusOptions {
  /**
   * Keeps Tab and Shift+Tab inside the dialog and pulls back focus that leaves it (a modal dialog).
   * False for an inline step that must leave the rest of the panel reachable (E-stop next to a
   * pending confirmation).
   */
  trap: boolean;
  /** Called on Esc (absent: Esc does nothing here). */
  onEscape?: () => void;
  /** Where the focus goes on close when the opener is gone or disabled (e.g. the alarm's row). */
  fallback?: () => HTMLElement | null | undefined;
}

/**
 * The keyboard side of a dialog (WAI-ARIA dialog pattern): while `ref` is mounted, Esc closes it and
 * (modal) Tab cycles inside it; on close the focus returns to the element that had it when the
 * dialog opened, its opener, or else to `fallback`. The dialog's own `autoFocus` places the
 * focus on open; without one the first focusable element takes it.
 */
export function useDialogFocus(ref: RefObject<HTMLElement | null>, options: DialogFocusOptions): void {
  // Read during the first render, before React commits the dialog and its autoFocus moves the focus.
  const [opener] = useState(() => (typeof document === 'undefined' ? null : document.activeElement));
  const latest = useRef(options);
  latest.current = options;

  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    const me = {};
    open.push(me);
    const top = () => open[open.length - 1] === me;
    if (!root.contains(document.activeElement)) focusableIn(root)[0]?.focus();

    // Capture on the document: the dialog answers Tab and Esc before anything behind it (the
    // inspector closes on Esc from a window listener).
    const onKey = (e: KeyboardEvent) => {
      if (!top()) return;
      const o = latest.current;
      if (e.key === 'Escape' && o.onEscape) {
        e.preventDefault();
        e.stopPropagation();
        o.onEscape();
        return;
      }
      if (e.key !== 'Tab' || !o.trap) return;
      const items = focusableIn(root);
      if (items.length === 0) {
        e.preventDefault();
        return;
      }
      const first = items[0];
      const last = items[items.length - 1];
      const at = document.activeElement;
      const inside = root.contains(at);
      if (e.shiftKey && (at === first || !inside)) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && (at === last || !inside)) {
        e.preventDefault();
        first.focus();
      }
    };
    // Focus that leaves a modal dialog any other way (a click on the backdrop) comes back.
    const onFocusIn = (e: FocusEvent) => {
      if (!top() || !latest.current.trap || root.contains(e.target as Node)) return;
      focusableIn(root)[0]?.focus();
    };
    document.addEventListener('keydown', onKey, true);
    document.addEventListener('focusin', onFocusIn);
    return () => {
      open.splice(open.indexOf(me), 1);
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('focusin', onFocusIn);
      // React runs this after it has removed the dialog and committed the rest (the opener may be
      // disabled now). Not in a later frame: with a busy 3D scene that can come after the next key.
      const active = document.activeElement;
      // Something else took the focus on purpose meanwhile (a new dialog, a row): leave it.
      if (active && active !== document.body && !root.contains(active) && active.isConnected) return;
      if (canRefocus(opener)) opener.focus();
      else {
        const back = latest.current.fallback?.();
        if (canRefocus(back ?? null)) back?.focus();
      }
    };
  }, [ref, opener]);
}
