import { useCallback } from 'react';
import type { PlantEvent } from '../../protocol';
import { useServerText } from '../i18n/useServerText';

/** A plant event's sentence in the reader's language (the server's English for an unknown one). */
export function useEventText(): (e: Pick<PlantEvent, 'message' | 'text'>) => string {
  const render = useServerText();
  return useCallback((e: Pick<PlantEvent, 'message' | 'text'>) => render(e.text, e.message), [render]);
}
