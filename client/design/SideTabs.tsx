import type { MessageKey } from '../i18n/messages';
import { useT } from '../i18n/useT';
import { EquipmentPanel } from './EquipmentPanel';
import { LinePanel } from './LinePanel';
import { type SideTab, useLayoutTools } from './layoutTools';
import { RoutePanel } from './RoutePanel';
import { ViewsPanel } from './ViewsPanel';
import { ZonePanel } from './ZonePanel';

/** Props of SideTabs (none). */
export type SideTabsProps = Record<string, never>;

const TABS: readonly SideTab[] = ['equipment', 'zones', 'lines', 'routes', 'views'];

/** The right column: equipment, zones, lines, drone routes or viewpoints, one at a time, chosen by buttons. */
export function SideTabs(_: SideTabsProps) {
  const { t } = useT();
  const tab = useLayoutTools((s) => s.tab);
  return (
    <>
      <nav className="design-tabs panel" aria-label={t('design.tabs.label')}>
        {TABS.map((x) => (
          <button
            key={x}
            type="button"
            className={x === tab ? 'button is-on' : 'button'}
            aria-pressed={x === tab}
            onClick={() => useLayoutTools.setState({ tab: x, drawing: false, corner: null })}
            data-testid={`design-tab-${x}`}
          >
            {t(`design.tabs.${x}` as MessageKey)}
          </button>
        ))}
      </nav>
      {tab === 'equipment' ? (
        <EquipmentPanel />
      ) : (
        <section
          className="design-panel design-panel--scroll panel"
          aria-labelledby="design-tab-title"
          data-testid="design-tab-panel"
        >
          <h2 className="panel__title" id="design-tab-title">
            {t(`design.tabs.${tab}Title` as MessageKey)}
          </h2>
          {tab === 'zones' && <ZonePanel />}
          {tab === 'lines' && <LinePanel />}
          {tab === 'routes' && <RoutePanel />}
          {tab === 'views' && <ViewsPanel />}
        </section>
      )}
    </>
  );
}
