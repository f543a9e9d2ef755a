import { pickText } from '../../protocol';
import { currentLocale } from '../i18n/localeStore';
import { useT } from '../i18n/useT';
import { usePlantStore } from '../state/plantStore';
import { useSelectionStore } from '../state/selectionStore';
import { deriveFaults, type FaultRow, faultsKey } from './faults';
import { StateChip } from './StateChip';
import { useHudSample } from './useHudSample';
import './faultList.css';

/** Rows rendered at most; the rest is counted (a plant-wide outage must not build 10,000 rows). */
const MAX_ROWS = 50;

/** Props of FaultList (none: it reads the stores). */
export type FaultListProps = Record<string, never>;

function readFaults(): FaultRow[] {
  const { buffer, layout } = usePlantStore.getState();
  if (!buffer || !layout) return [];
  const locale = currentLocale();
  return deriveFaults(buffer, (i) => {
    const e = layout.equipment[i];
    return e ? pickText(e.name, e.names, locale) : buffer.ids[i];
  });
}

/** Equipment in an abnormal state, most urgent first; a click flies the camera to it. */
export function FaultList(_: FaultListProps) {
  const { t, locale } = useT();
  const layout = usePlantStore((s) => s.layout);
  const buffer = usePlantStore((s) => s.buffer);
  const selectedId = useSelectionStore((s) => s.selectedId);
  // Names come from the layout: re-read at once when a snapshot replaces it.
  const rows = useHudSample(readFaults, (r) => `${locale}|${faultsKey(r)}`, [layout, buffer, locale]);
  const shown = rows.length > MAX_ROWS ? rows.slice(0, MAX_ROWS) : rows;

  return (
    <section className="panel faults" aria-label={t('faults.title')}>
      <h2 className="panel__title">
        {t('faults.title')} <span className="panel__count figure">{rows.length}</span>
      </h2>
      <ul className="faults__list" data-testid="fault-list">
        {rows.length === 0 && <li className="faults__empty">{t('faults.empty')}</li>}
        {shown.map((r) => (
          <li key={r.id}>
            <button
              type="button"
              className={r.id === selectedId ? 'faults__row is-selected' : 'faults__row'}
              data-equipment={r.id}
              onClick={() => useSelectionStore.getState().flyToEquipment(r.id)}
              title={t('hud.flyToName', { name: r.name })}
            >
              <StateChip state={r.state} />
              <span className="faults__id">{r.id}</span>
              <span className="faults__name">{r.name}</span>
            </button>
          </li>
        ))}
        {rows.length > shown.length && (
          <li className="faults__more">{t('faults.more', { n: rows.length - shown.length })}</li>
        )}
      </ul>
    </section>
  );
}
