import { useCallback } from 'react';
import type { Alarm } from '../../../protocol';
import { useT } from '../../i18n/useT';

/** An alarm's message in the reader's language (the server's English when it sends no code). */
export function useAlarmText(): (a: Pick<Alarm, 'message'>) => string {
  const { locale } = useT();
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-created per locale on purpose.
  return useCallback((a: Pick<Alarm, 'message'>) => a.message, [locale]);
}
