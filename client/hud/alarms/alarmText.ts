import { useCallback } from 'react';
import type { Alarm } from '../../../protocol';
import { useServerText } from '../../i18n/useServerText';

/** An alarm's message in the reader's language (the server's English when it carries no code). */
export function useAlarmText(): (a: Pick<Alarm, 'message' | 'text'>) => string {
  const render = useServerText();
  return useCallback((a: Pick<Alarm, 'message' | 'text'>) => render(a.text, a.message), [render]);
}
