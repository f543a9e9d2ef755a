import { pickText } from '../../protocol';
import { useT } from '../i18n/useT';
import { usePlantStore } from '../state/plantStore';
import { AlarmCaption } from './AlarmCaption';
import { KpiBoard } from './KpiBoard';
import { PixelShift } from './PixelShift';
import { ReconnectBadge } from './ReconnectBadge';
import { ShowcaseClock } from './ShowcaseClock';
import { ShowcaseTicker } from './ShowcaseTicker';
import { TourCaption } from './TourCaption';

/** Props of ShowcaseScreen (none). */
export type ShowcaseScreenProps = Record<string, never>;

/**
 * The lobby overlay above the touring plant: brand, plant name and viewpoint at the top left, the
 * clock at the top right, an alarm caption when the tour shows one, the KPI band and the event
 * ticker at the bottom. Everything shifts by a few pixels now and then (burn-in).
 */
export function ShowcaseScreen(_: ShowcaseScreenProps) {
  const { locale, t } = useT();
  const layout = usePlantStore((s) => s.layout);
  const plantName = layout ? pickText(layout.name, layout.names, locale) : '';
  return (
    <div className="sc" lang={locale} data-testid="showcase">
      <div className="sc__scrim" aria-hidden="true" />
      <PixelShift>
        <header className="sc__top">
          <div className="sc__brand">
            <p className="sc__tagline">{t('showcase.tagline')}</p>
            <h1 className="sc__plant">{plantName}</h1>
            <TourCaption />
          </div>
          <div className="sc__right">
            <ShowcaseClock />
            <ReconnectBadge />
          </div>
        </header>
        <AlarmCaption />
        <footer className="sc__bottom">
          <KpiBoard />
          <ShowcaseTicker />
        </footer>
      </PixelShift>
    </div>
  );
}
