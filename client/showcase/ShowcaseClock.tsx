import { useHudSample } from '../hud/useHudSample';
import { useT } from '../i18n/useT';

/** Props of ShowcaseClock (none). */
export type ShowcaseClockProps = Record<string, never>;

const formats = new Map<string, { time: Intl.DateTimeFormat; date: Intl.DateTimeFormat }>();

function formatsFor(locale: string) {
  let f = formats.get(locale);
  if (!f) {
    f = {
      time: new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hour12: false }),
      date: new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long' }),
    };
    formats.set(locale, f);
  }
  return f;
}

/** The wall clock, large, with the date beneath; changes once a minute (read on the 1 Hz tick). */
export function ShowcaseClock(_: ShowcaseClockProps) {
  const { locale } = useT();
  const f = formatsFor(locale);
  const now = useHudSample(
    () => {
      const d = new Date();
      return { time: f.time.format(d), date: f.date.format(d) };
    },
    (v) => v.time + v.date,
    [locale],
  );
  return (
    <div className="sc-clock" data-testid="showcase-clock">
      <div className="sc-clock__time">{now.time}</div>
      <div className="sc-clock__date">{now.date}</div>
    </div>
  );
}
