import type { PlantEvent } from '../../protocol';
import { useT } from '../i18n/useT';
import { usePlantStore } from '../state/plantStore';
import { useSelectionStore } from '../state/selectionStore';
import { SimTag } from '../training/SimTag';
import { useEventText } from './eventText';
import { formatSimClock } from './format';
import { useHudSample } from './useHudSample';
import './eventTicker.css';

/** Events shown: a glance at what just happened, not a log. */
const SHOWN = 4;

/** Props of EventTicker (none: it reads the plant store). */
export type EventTickerProps = Record<string, never>;

// Sampled on the HUD tick, so a burst of events costs one commit, shared with the clock.
const readEvents = () => usePlantStore.getState().events.slice(-SHOWN).reverse();
const eventsKey = (events: PlantEvent[]) => events.map((e) => e.seq).join(',');

function flyTo(id: string): void {
  useSelectionStore.getState().flyToEquipment(id);
}

/** The latest plant events in plain language, newest first; an equipment's event flies to it. */
export function EventTicker(_: EventTickerProps) {
  const { t } = useT();
  const eventText = useEventText();
  const events = useHudSample(readEvents, eventsKey, []);
  if (events.length === 0) return null;
  return (
    <section className="panel events" aria-label={t('events.label')} data-testid="event-list">
      <ul>
        {events.map((e) => {
          const body = (
            <>
              <span className={`events__mark events__mark--${e.severity}`} aria-hidden="true" />
              <span className="events__time figure">{formatSimClock(e.simTimeS)}</span>
              <span className="events__message">
                {e.simulated && <SimTag />}
                {eventText(e)}
              </span>
            </>
          );
          const id = e.equipmentId;
          return (
            <li key={e.seq} data-severity={e.severity}>
              {id ? (
                <button
                  type="button"
                  className="events__row"
                  onClick={() => flyTo(id)}
                  title={t('hud.flyToName', { name: id })}
                >
                  {body}
                </button>
              ) : (
                <div className="events__row">{body}</div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
