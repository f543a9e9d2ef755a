import type { PlantEvent } from '../../protocol';
import { useHudSample } from '../hud/useHudSample';
import { useServerText } from '../i18n/useServerText';
import { useT } from '../i18n/useT';
import { usePlantStore } from '../state/plantStore';
import { tickerPhrase } from './tickerPhrase';

/** Events on screen at once (the store keeps a bounded history; this shows its newest few). */
export const TICKER_ITEMS = 3;

/** Props of ShowcaseTicker (none: it reads the plant store on the HUD tick). */
export type ShowcaseTickerProps = Record<string, never>;

const readEvents = () => usePlantStore.getState().events.slice(-TICKER_ITEMS).reverse();
const eventsKey = (events: PlantEvent[]) => events.map((e) => e.seq).join(',');

/** The newest plant events as plain sentences in the screen's language, newest first and brightest. */
export function ShowcaseTicker(_: ShowcaseTickerProps) {
  const { locale } = useT();
  const render = useServerText();
  const events = useHudSample(readEvents, eventsKey, []);
  const layout = usePlantStore((s) => s.layout);
  if (events.length === 0) return null;
  const lineOf = (id: string) => layout?.equipment.find((e) => e.id === id)?.line ?? null;
  return (
    <ol className="sc-ticker" data-testid="showcase-ticker" aria-live="polite">
      {events.map((e) => (
        <li key={e.seq} className={`sc-ticker__item sc-ticker__item--${e.severity}`}>
          <span className="sc-ticker__dot" aria-hidden="true" />
          {/* Coded events in the screen's language; older servers' English recognised by shape. */}
          {e.text ? render(e.text, e.message) : tickerPhrase(locale, e, lineOf)}
        </li>
      ))}
    </ol>
  );
}
