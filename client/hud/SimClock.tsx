import { useT } from '../i18n/useT';
import { currentBuffer } from '../state/plantStore';
import { formatSimClock } from './format';
import { useHudSample } from './useHudSample';

/** Props of SimClock (none: it reads the twin buffer). */
export type SimClockProps = Record<string, never>;

const readClock = () => formatSimClock(currentBuffer()?.simTimeS ?? Number.NaN);
const asKey = (s: string) => s;

/** Simulation time, refreshed on the 1 Hz HUD tick. */
export function SimClock(_: SimClockProps) {
  const { t } = useT();
  const text = useHudSample(readClock, asKey, []);
  return (
    <span className="topbar__clock figure" title={t('topbar.clockTitle')}>
      {text}
    </span>
  );
}
