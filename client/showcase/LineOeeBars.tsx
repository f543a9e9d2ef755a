import { useT } from '../i18n/useT';
import { lineName } from './tickerPhrase';

/** Props of LineOeeBars. */
export interface LineOeeBarsProps {
  lines: readonly { id: string; oee: string; ratio: number; state: string }[];
}

/** Per-line OEE as short labelled bars under the plant OEE (a stopped line shows in amber). */
export function LineOeeBars({ lines }: LineOeeBarsProps) {
  const { locale } = useT();
  return (
    <ul className="sc-lines" data-testid="kpi-lines">
      {lines.map((l) => {
        const stopped = l.state === 'fault' || l.state === 'blocked' || l.state === 'starved';
        return (
          <li key={l.id} className={stopped ? 'sc-lines__line sc-lines__line--stopped' : 'sc-lines__line'}>
            <span className="sc-lines__name">{lineName(locale, l.id)}</span>
            <span className="sc-lines__track" aria-hidden="true">
              <span
                className="sc-lines__fill"
                style={{ width: `${Math.min(1, Math.max(0, l.ratio)) * 100}%` }}
              />
            </span>
            <span className="sc-lines__value">{l.oee} %</span>
          </li>
        );
      })}
    </ul>
  );
}
