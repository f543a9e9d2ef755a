import { useCallback } from 'react';
import type { CodedText } from '../../protocol';
import { usePlantStore } from '../state/plantStore';
import { renderText } from './codedText';
import { currentLocale } from './localeStore';
import { useT } from './useT';

/** Renders a server text (code + English fallback) in the reader's language. */
export type ServerText = (text: CodedText | undefined, fallback: string) => string;

/**
 * A renderer of server texts for React: re-created when the language, the layout (names) or the
 * alarm templates change, so a component using it re-renders with them.
 */
export function useServerText(): ServerText {
  const { locale } = useT();
  const layout = usePlantStore((s) => s.layout);
  const alarmTemplates = usePlantStore((s) => s.alarmTemplates);
  return useCallback(
    (text, fallback) => renderText(locale, text, fallback, { layout, alarmTemplates }),
    [locale, layout, alarmTemplates],
  );
}

/** The same outside React (toasts, exports): the current language and plant. */
export function serverText(text: CodedText | undefined, fallback: string): string {
  const { layout, alarmTemplates } = usePlantStore.getState();
  return renderText(currentLocale(), text, fallback, { layout, alarmTemplates });
}
