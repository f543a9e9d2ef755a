import { useCallback } from 'react';
import type { PlantEvent } from '../../protocol';
import { useT } from '../i18n/useT';
import { tickerPhrase } from '../showcase/tickerPhrase';
import { usePlantStore } from '../state/plantStore';

/** An equipment's line id from the layout (a feeder belongs to a line), or null. */
function lineOf(id: string): string | null {
  return usePlantStore.getState().layout?.equipment.find((e) => e.id === id)?.line ?? null;
}

/** A plant event's sentence in the reader's language (the server's English for an unknown one). */
export function useEventText(): (e: PlantEvent) => string {
  const { locale } = useT();
  return useCallback((e: PlantEvent) => tickerPhrase(locale, e, lineOf), [locale]);
}
