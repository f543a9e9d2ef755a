import { useState } from 'react';
import { useT } from '../i18n/useT';
import { CheckedField } from './CheckedField';
import { CommitField } from './CommitField';
import { useDesignStore } from './designStore';
import { designView } from './designView';
import {
  addRoute,
  moveWaypoint,
  removeRoute,
  removeWaypoint,
  renameRoute,
  reorderWaypoint,
  routeErrors,
  routeOf,
  routesOf,
  setRouteField,
} from './edits/routeEdits';
import { equipmentOf } from './layoutEdits';
import { usePathTool } from './pathTool';
import { type Checked, parseFigure } from './propFields';
import { checkWaypointHeight, nextHeight, useRouteTool, waypointAt } from './routeTool';

/** Props of RoutePanel (none: it reads the stores). */
export type RoutePanelProps = Record<string, never>;

/** Cruise speed, m/s: above 0, at most 20 (the loader's range). */
function checkSpeed(s: string): Checked {
  const v = parseFigure(s);
  if (!Number.isFinite(v)) return { ok: false, problem: { key: 'design.check.number' } };
  if (v <= 0) return { ok: false, problem: { key: 'design.check.above', params: { min: '0' } } };
  if (v > 20) return { ok: false, problem: { key: 'design.check.atMost', params: { max: '20' } } };
  return { ok: true, value: v };
}

/** A select of the draft's equipment of one kind (drones, or charging docks). */
function KindSelect({
  id,
  label,
  ids,
  value,
  onChange,
  testId,
}: {
  id: string;
  label: string;
  ids: string[];
  value: string;
  onChange: (v: string) => void;
  testId: string;
}) {
  const { t } = useT();
  return (
    <div className="design-field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        className="design-input"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        data-testid={testId}
      >
        <option value="">{t('design.panel.choose')}</option>
        {value && !ids.includes(value) && (
          <option value={value}>{t('design.props.unknown', { value })}</option>
        )}
        {ids.map((x) => (
          <option key={x} value={x}>
            {x}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * Drone routes: the list (each with the server's problems about it), a new route of a drone from
 * its charging dock, and the chosen route's drone, dock, indoor flag, speed and waypoints (added by
 * clicking the floor at a typed height, dragged in the view, edited, reordered, deleted).
 */
export function RoutePanel(_: RoutePanelProps) {
  const { t } = useT();
  const layout = useDesignStore((s) => s.history.present);
  const saved = useDesignStore((s) => s.saved);
  const errors = useDesignStore((s) => s.errors);
  const edit = useDesignStore((s) => s.edit);
  const chosen = useRouteTool((s) => s.route);
  const adding = useRouteTool((s) => s.adding);
  const height = useRouteTool((s) => s.height);
  const [drone, setDrone] = useState('');
  const [dock, setDock] = useState('');
  const [indoor, setIndoor] = useState(true);
  const routes = routesOf(layout);
  // Errors are of the saved layout: their indices are read in it.
  const problems = routeErrors(
    saved ?? layout,
    errors.map((e) => e.text),
  );
  const equipment = equipmentOf(layout);
  const drones = equipment.filter((e) => e.kind === 'drone').map((e) => e.id);
  const docks = equipment.filter((e) => e.kind === 'charging-dock').map((e) => e.id);
  const route = chosen ? routeOf(layout, chosen) : null;
  const heightCheck = checkWaypointHeight(height);
  const choose = (id: string | null) => useRouteTool.setState({ route: id, adding: false, waypoint: null });

  return (
    <div className="design-panel__body" data-testid="design-routes">
      <ul className="design-routes" data-testid="design-route-list">
        {routes.map((r) => {
          const bad = problems.get(r.id) ?? [];
          return (
            <li key={r.id} className="design-routes__item">
              <button
                type="button"
                className={r.id === chosen ? 'design-routes__pick is-on' : 'design-routes__pick'}
                aria-pressed={r.id === chosen}
                onClick={() => choose(r.id === chosen ? null : r.id)}
                data-testid={`design-route-${r.id}`}
              >
                <span className="design-routes__id">{r.id}</span>
                <span className="design-muted">
                  {t('design.routes.summary', {
                    drone: r.drone,
                    dock: r.dock,
                    n: String(r.waypoints.length),
                  })}
                </span>
              </button>
              {bad.map((text) => (
                <span key={text} className="design-field__problem" data-testid="design-route-problem">
                  {text}
                </span>
              ))}
            </li>
          );
        })}
      </ul>
      {routes.length === 0 && <p className="design-muted design-props__hint">{t('design.routes.none')}</p>}
      {route && chosen ? (
        <div className="design-props" key={chosen}>
          <CommitField
            id="design-route-id"
            label={t('design.field.id')}
            value={chosen}
            onCommit={(s) => {
              const next = s.trim();
              if (!next) return;
              edit((l) => renameRoute(l, chosen, next));
              useRouteTool.setState({ route: next });
            }}
            testId="design-route-id"
          />
          <div className="design-row">
            <KindSelect
              id="design-route-drone"
              label={t('design.routes.drone')}
              ids={drones}
              value={route.drone}
              onChange={(v) => v && edit((l) => setRouteField(l, chosen, 'drone', v))}
              testId="design-route-drone"
            />
            <KindSelect
              id="design-route-dock"
              label={t('design.routes.dock')}
              ids={docks}
              value={route.dock}
              onChange={(v) => v && edit((l) => setRouteField(l, chosen, 'dock', v))}
              testId="design-route-dock"
            />
          </div>
          <div className="design-row">
            <CheckedField
              id="design-route-speed"
              label={t('design.routes.speed')}
              unit="m/s"
              numeric
              value={Number.isFinite(route.speed) ? String(route.speed) : ''}
              check={checkSpeed}
              onApply={(v) => edit((l) => setRouteField(l, chosen, 'speed', v as number))}
              testId="design-route-speed"
            />
            <label className="design-check design-routes__indoor">
              <input
                type="checkbox"
                checked={route.indoor}
                onChange={(e) => edit((l) => setRouteField(l, chosen, 'indoor', e.target.checked))}
                data-testid="design-route-indoor"
              />
              {t('design.routes.indoor')}
            </label>
          </div>
          <p className="design-field__label">{t('design.routes.waypoints')}</p>
          {route.waypoints.length > 0 && (
            // Column heads for the eye; each input has its own label for screen readers.
            <div className="design-waypoints__head" aria-hidden="true">
              <span>{t('design.routes.xHead')}</span>
              <span>{t('design.routes.yHead')}</span>
              <span>{t('design.routes.zHead')}</span>
            </div>
          )}
          <ol className="design-waypoints" data-testid="design-waypoints">
            {route.waypoints.map((p, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a waypoint is its place in the route.
              <li key={i} className="design-waypoints__item" data-testid="design-waypoint">
                <span className="design-waypoints__n figure" aria-hidden="true">
                  {i + 1}
                </span>
                {(['x', 'y', 'z'] as const).map((axis, k) => (
                  <CommitField
                    key={axis}
                    id={`design-wp-${i}-${axis}`}
                    label={t(`design.routes.${axis}`, { n: String(i + 1) })}
                    value={String(p[k])}
                    onCommit={(s) => {
                      const q = [...p];
                      q[k] = parseFigure(s);
                      if (axis === 'y' && q[1] < 0) return;
                      edit((l) => moveWaypoint(l, chosen, i, q));
                      useRouteTool.setState({ waypoint: i });
                    }}
                    testId={`design-wp-${axis}`}
                  />
                ))}
                <button
                  type="button"
                  className="button button--small"
                  disabled={i === 0}
                  aria-label={t('design.routes.up', { n: String(i + 1) })}
                  title={t('design.routes.up', { n: String(i + 1) })}
                  onClick={() => edit((l) => reorderWaypoint(l, chosen, i, -1))}
                  data-testid="design-wp-up"
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="button button--small"
                  disabled={i === route.waypoints.length - 1}
                  aria-label={t('design.routes.down', { n: String(i + 1) })}
                  title={t('design.routes.down', { n: String(i + 1) })}
                  onClick={() => edit((l) => reorderWaypoint(l, chosen, i, 1))}
                  data-testid="design-wp-down"
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="button button--small"
                  aria-label={t('design.routes.removePoint', { n: String(i + 1) })}
                  title={t('design.routes.removePoint', { n: String(i + 1) })}
                  onClick={() => {
                    edit((l) => removeWaypoint(l, chosen, i));
                    useRouteTool.setState({ waypoint: null });
                  }}
                  data-testid="design-wp-remove"
                >
                  ×
                </button>
              </li>
            ))}
          </ol>
          <div className="design-row design-routes__add">
            <button
              type="button"
              className={adding ? 'button is-on' : 'button'}
              aria-pressed={adding}
              onClick={() => {
                // One floor tool at a time: the path tool's clicks would add nodes too.
                if (!adding) usePathTool.setState({ on: false, node: null });
                useRouteTool.setState({ adding: !adding });
              }}
              data-testid="design-route-add-points"
            >
              {t('design.routes.addPoints')}
            </button>
            <button
              type="button"
              className="button"
              title={t('design.routes.addCentreTitle')}
              onClick={() => waypointAt(designView.centre.x, designView.centre.z)}
              data-testid="design-route-add-centre"
            >
              {t('design.routes.addCentre')}
            </button>
            <div className="design-field">
              <label htmlFor="design-route-height">{t('design.routes.height')}</label>
              <input
                id="design-route-height"
                className="design-input figure"
                inputMode="decimal"
                value={height}
                placeholder={t('design.props.default', { value: String(nextHeight(chosen)) })}
                aria-invalid={heightCheck.ok ? undefined : true}
                aria-describedby={heightCheck.ok ? undefined : 'design-route-height-problem'}
                onChange={(e) => useRouteTool.setState({ height: e.target.value })}
                data-testid="design-route-height"
              />
              {!heightCheck.ok && (
                <span
                  id="design-route-height-problem"
                  className="design-field__problem"
                  role="alert"
                  data-testid="design-route-height-problem"
                >
                  {t(heightCheck.problem.key, heightCheck.problem.params)}
                </span>
              )}
            </div>
          </div>
          {adding && (
            <p className="design-muted design-props__hint" role="status">
              {t('design.routes.addHint')}
            </p>
          )}
          <button
            type="button"
            className="button button--danger"
            onClick={() => {
              edit((l) => removeRoute(l, chosen));
              choose(null);
            }}
            data-testid="design-route-delete"
          >
            {t('design.routes.delete')}
          </button>
        </div>
      ) : (
        <form
          className="design-props"
          aria-labelledby="design-route-new-title"
          onSubmit={(e) => {
            e.preventDefault();
            if (!drone || !dock) return;
            const r = addRoute(useDesignStore.getState().history.present, drone, dock, indoor);
            edit(() => r.layout);
            usePathTool.setState({ on: false, node: null });
            useRouteTool.setState({ route: r.id, adding: true, height: '', waypoint: null });
          }}
          data-testid="design-route-new"
        >
          <p className="design-field__label" id="design-route-new-title">
            {t('design.routes.new')}
          </p>
          <div className="design-row">
            <KindSelect
              id="design-route-new-drone"
              label={t('design.routes.drone')}
              ids={drones}
              value={drone}
              onChange={setDrone}
              testId="design-route-new-drone"
            />
            <KindSelect
              id="design-route-new-dock"
              label={t('design.routes.dock')}
              ids={docks}
              value={dock}
              onChange={setDock}
              testId="design-route-new-dock"
            />
          </div>
          <label className="design-check">
            <input
              type="checkbox"
              checked={indoor}
              onChange={(e) => setIndoor(e.target.checked)}
              data-testid="design-route-new-indoor"
            />
            {t('design.routes.indoor')}
          </label>
          <button
            type="submit"
            className="button"
            disabled={!drone || !dock}
            data-testid="design-route-create"
          >
            {t('design.routes.create')}
          </button>
        </form>
      )}
    </div>
  );
}
