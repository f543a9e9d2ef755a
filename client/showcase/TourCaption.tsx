import { hasMessage } from '../i18n/messages';
import { useT } from '../i18n/useT';
import { usePlantStore } from '../state/plantStore';
import { useTourStore } from './tourStore';

/** Props of TourCaption (none). */
export type TourCaptionProps = Record<string, never>;

/** The name of the viewpoint on screen (catalog text by viewpoint id, else the layout's name). */
export function TourCaption(_: TourCaptionProps) {
  const { t, locale } = useT();
  const id = useTourStore((s) => s.viewpoint);
  const layout = usePlantStore((s) => s.layout);
  if (!id) return null;
  const key = `viewpoint.${id}`;
  const vp = layout?.viewpoints.find((v) => v.id === id);
  const translated = locale === 'en' ? undefined : vp?.names?.[locale];
  const name = translated ?? (hasMessage(key) ? t(key) : (vp?.name ?? id));
  return (
    <p className="sc-caption" key={id} data-testid="tour-caption" data-viewpoint={id}>
      {name}
    </p>
  );
}
