import { useT } from '../i18n/useT';
import { useDesignStore } from './designStore';
import { type ErrorTarget, errorTarget } from './edits/errorTargets';
import { nodeOfError } from './edits/pathEdits';
import { useLayoutTools } from './layoutTools';
import { pickNode } from './pathTool';
import { useRouteTool } from './routeTool';

/** Props of ErrorList (none: it reads the design store). */
export type ErrorListProps = Record<string, never>;

/** Opens the tab of the zone, line, drone route or viewpoint a problem names, with it chosen. */
function showTarget(x: ErrorTarget | null): void {
  if (!x) return;
  if (x.kind === 'zones') useLayoutTools.setState({ tab: 'zones', zone: x.id });
  else if (x.kind === 'lines') useLayoutTools.setState({ tab: 'lines', line: x.id, pickingFlow: false });
  else if (x.kind === 'droneRoutes') {
    useLayoutTools.setState({ tab: 'routes' });
    useRouteTool.setState({ route: x.id, adding: false, waypoint: null });
  } else useLayoutTools.setState({ tab: 'views' });
}

/**
 * The plant loader's problems with the saved layout, as the server listed them (`path: message`);
 * those that name equipment select it when clicked (it is drawn red in the view too).
 */
export function ErrorList(_: ErrorListProps) {
  const { t } = useT();
  const errors = useDesignStore((s) => s.errors);
  const selected = useDesignStore((s) => s.selected);
  const layout = useDesignStore((s) => s.saved ?? s.history.present);
  // A problem of the path network (no equipment named) selects its node.
  const node = (text: string) => nodeOfError(layout, text);
  const target = (text: string) => errorTarget(layout, text);
  return (
    <section
      className={
        errors.length ? 'design-panel design-errors panel has-errors' : 'design-panel design-errors panel'
      }
      aria-labelledby="design-errors-title"
      data-testid="design-errors"
    >
      <h2 className="panel__title" id="design-errors-title">
        {t('design.errors.title')}
        <span className="panel__count figure">{errors.length}</span>
      </h2>
      {errors.length === 0 && <p className="design-muted design-errors__none">{t('design.errors.none')}</p>}
      {errors.length > 0 && (
        <ul className="design-errors__list">
          {errors.map((e, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the same line may repeat; the list is replaced whole.
            <li key={i}>
              {e.equipment ? (
                <button
                  type="button"
                  className={e.equipment === selected ? 'design-errors__item is-on' : 'design-errors__item'}
                  title={t('design.errors.select')}
                  onClick={() => useDesignStore.getState().select(e.equipment)}
                  data-testid="design-error"
                >
                  {e.text}
                </button>
              ) : node(e.text) ? (
                <button
                  type="button"
                  className="design-errors__item"
                  title={t('design.errors.selectNode')}
                  onClick={() => pickNode(node(e.text))}
                  data-testid="design-error"
                >
                  {e.text}
                </button>
              ) : target(e.text) ? (
                <button
                  type="button"
                  className="design-errors__item"
                  title={t('design.errors.selectOther')}
                  onClick={() => showTarget(target(e.text))}
                  data-testid="design-error"
                >
                  {e.text}
                </button>
              ) : (
                <span className="design-errors__item" data-testid="design-error">
                  {e.text}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
