import { useEffect } from 'react';
import { usePlantStore } from '../state/plantStore';
import { useSelectionStore } from '../state/selectionStore';
import { InspectorBody } from './InspectorBody';

/** Props of Inspector (it follows the selection). */
export interface InspectorProps {
  /** A replay's inspector: recorded values only, nothing to send (see InspectorBody). */
  readOnly?: boolean;
}

function closeOnEscape(e: KeyboardEvent): void {
  if (e.key === 'Escape') useSelectionStore.getState().select(null);
}

/** The selected equipment's panel; absent when nothing (or an unknown id) is selected. */
export function Inspector({ readOnly = false }: InspectorProps) {
  const selectedId = useSelectionStore((s) => s.selectedId);
  const layout = usePlantStore((s) => s.layout);
  const buffer = usePlantStore((s) => s.buffer);
  const index = selectedId === null ? undefined : buffer?.indexById.get(selectedId);
  const open = index !== undefined;

  useEffect(() => {
    if (!open) return;
    window.addEventListener('keydown', closeOnEscape);
    return () => window.removeEventListener('keydown', closeOnEscape);
  }, [open]);

  if (!layout || !buffer || index === undefined) return null;
  // Keyed by equipment: a new selection starts with fresh refs and charts.
  return (
    <InspectorBody key={`${selectedId}`} layout={layout} buffer={buffer} index={index} readOnly={readOnly} />
  );
}
