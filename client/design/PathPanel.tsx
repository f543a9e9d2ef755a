import { useT } from '../i18n/useT';
import { CommitField } from './CommitField';
import { useDesignStore } from './designStore';
import { edgesOf, moveNode, nodeOfError, nodesOf, removeEdge } from './edits/pathEdits';
import { connectTo, deleteNode, pickNode, setPathTool, usePathTool } from './pathTool';
import { parseFigure } from './propFields';

/** Props of PathPanel (none: it reads the design and path tool stores). */
export type PathPanelProps = Record<string, never>;

/**
 * The AGV path tool: on/off (then the floor takes clicks as new nodes), and the chosen node's
 * place, its aisles (each removable), a node to connect it to, its problems, and delete.
 */
export function PathPanel(_: PathPanelProps) {
  const { t } = useT();
  const on = usePathTool((s) => s.on);
  const chosen = usePathTool((s) => s.node);
  const layout = useDesignStore((s) => s.history.present);
  const saved = useDesignStore((s) => s.saved);
  const errors = useDesignStore((s) => s.errors);
  const edit = useDesignStore((s) => s.edit);
  const nodes = nodesOf(layout);
  const node = chosen ? nodes.find((n) => n.id === chosen) : undefined;
  const aisles = node ? edgesOf(layout).filter((e) => e.a === node.id || e.b === node.id) : [];
  const problems = node ? errors.filter((e) => nodeOfError(saved ?? layout, e.text) === node.id) : [];

  return (
    <section
      className="design-panel design-panel--scroll panel"
      aria-labelledby="design-paths-title"
      data-testid="design-paths"
    >
      <h2 className="panel__title" id="design-paths-title">
        {t('design.paths.title')}
        <span className="panel__count figure">{nodes.length}</span>
      </h2>
      <div className="design-panel__body">
        <button
          type="button"
          className={on ? 'button is-on' : 'button'}
          aria-pressed={on}
          title={t('design.paths.toolTitle')}
          onClick={() => setPathTool(!on)}
          data-testid="design-path-tool"
        >
          {t('design.paths.tool')}
        </button>
        {on && !node && <p className="design-muted design-props__hint">{t('design.paths.hint')}</p>}
        {node && (
          <>
            <p className="design-paths__node" data-testid="design-node-id">
              {t('design.paths.node', { id: node.id })}
            </p>
            <div className="design-row">
              <CommitField
                id="design-node-x"
                label={t('design.field.x')}
                type="number"
                step={0.5}
                value={String(node.position[0])}
                onCommit={(s) => edit((l) => moveNode(l, node.id, parseFigure(s), node.position[1]))}
                testId="design-node-x"
              />
              <CommitField
                id="design-node-z"
                label={t('design.field.z')}
                type="number"
                step={0.5}
                value={String(node.position[1])}
                onCommit={(s) => edit((l) => moveNode(l, node.id, node.position[0], parseFigure(s)))}
                testId="design-node-z"
              />
            </div>
            {aisles.length > 0 && (
              <ul className="design-paths__aisles" aria-label={t('design.paths.aisles')}>
                {aisles.map((e) => {
                  const other = e.a === node.id ? e.b : e.a;
                  return (
                    <li key={e.index}>
                      <button type="button" className="design-link" onClick={() => pickNode(other)}>
                        ↔ {other}
                      </button>
                      <button
                        type="button"
                        className="button button--small"
                        aria-label={t('design.paths.removeAisle', { id: other })}
                        title={t('design.paths.removeAisle', { id: other })}
                        onClick={() => edit((l) => removeEdge(l, e.index))}
                        data-testid="design-aisle-remove"
                      >
                        ×
                      </button>
                    </li>
                  );
                })}
              </ul>
            )}
            <div className="design-field">
              <label htmlFor="design-connect">{t('design.paths.connect')}</label>
              <select
                id="design-connect"
                className="design-input"
                value=""
                onChange={(ev) => ev.target.value && connectTo(ev.target.value)}
                data-testid="design-connect"
              >
                <option value="">{t('design.panel.choose')}</option>
                {nodes
                  .filter((n) => n.id !== node.id)
                  .map((n) => (
                    <option key={n.id} value={n.id}>
                      {n.id}
                    </option>
                  ))}
              </select>
            </div>
            {problems.map((p) => (
              <p key={p.text} className="design-field__problem" data-testid="design-node-problem">
                {p.text}
              </p>
            ))}
            <button
              type="button"
              className="button button--danger"
              title={t('design.paths.deleteTitle')}
              onClick={deleteNode}
              data-testid="design-node-delete"
            >
              {t('design.paths.delete')}
            </button>
          </>
        )}
      </div>
    </section>
  );
}
