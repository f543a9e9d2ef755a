import { useState } from 'react';
import { useT } from '../i18n/useT';
import { CheckedField } from './CheckedField';
import { useDesignStore } from './designStore';
import { designView, goToView } from './designView';
import { errorTarget } from './edits/errorTargets';
import {
  addViewpoint,
  removeViewpoint,
  renameViewpoint,
  viewpointOf,
  viewpointsOf,
} from './edits/viewpointEdits';
import { checkName } from './propFields';

/** Props of ViewsPanel (none: it reads the stores). */
export type ViewsPanelProps = Record<string, never>;

/** Keeps the view the camera shows now (its position and the orbit centre) as a viewpoint. */
function saveCurrentView(name: string): void {
  const cam = designView.camera;
  if (!cam) return;
  const s = useDesignStore.getState();
  const r = addViewpoint(
    s.history.present,
    name,
    [cam.position.x, cam.position.y, cam.position.z],
    [designView.centre.x, 0, designView.centre.z],
  );
  if (r) s.edit(() => r.layout);
}

/**
 * Viewpoints: save the current camera as one (with a name), go to one, rename and delete them; the
 * server's problems with a viewpoint show under it.
 */
export function ViewsPanel(_: ViewsPanelProps) {
  const { t } = useT();
  const layout = useDesignStore((s) => s.history.present);
  const edit = useDesignStore((s) => s.edit);
  const saved = useDesignStore((s) => s.saved);
  const errors = useDesignStore((s) => s.errors);
  const [name, setName] = useState('');
  const views = viewpointsOf(layout);
  // The server's problems by viewpoint (errors are of the saved layout: indices are read in it).
  const problems = new Map<string, string[]>();
  for (const e of errors) {
    const x = errorTarget(saved ?? layout, e.text);
    if (x?.kind === 'viewpoints') problems.set(x.id, [...(problems.get(x.id) ?? []), e.text]);
  }
  return (
    <div className="design-panel__body" data-testid="design-views">
      <form
        className="design-props"
        onSubmit={(e) => {
          e.preventDefault();
          saveCurrentView(name.trim());
          setName('');
        }}
      >
        <div className="design-field">
          <label htmlFor="design-view-name">{t('design.views.name')}</label>
          <input
            id="design-view-name"
            className="design-input"
            value={name}
            maxLength={80}
            placeholder={t('design.views.namePlaceholder')}
            onChange={(e) => setName(e.target.value)}
            data-testid="design-view-name"
          />
        </div>
        <button type="submit" className="button" data-testid="design-view-save">
          {t('design.views.save')}
        </button>
      </form>
      <ul className="design-views" data-testid="design-view-list">
        {views.map((v) => (
          <li key={v.id} className="design-views__entry">
            <div className="design-views__item">
              <CheckedField
                id={`design-view-${v.id}`}
                label={v.id}
                value={v.name}
                check={(s) => checkName(s, false)}
                onApply={(n) => edit((l) => renameViewpoint(l, v.id, String(n)))}
                testId={`design-view-${v.id}`}
              />
              <button
                type="button"
                className="button button--small"
                onClick={() => {
                  const vp = viewpointOf(layout, v.id);
                  if (vp) goToView(vp.position, vp.target);
                }}
                disabled={!viewpointOf(layout, v.id)}
                aria-label={t('design.views.goTo', { name: v.name })}
                title={t('design.views.goTo', { name: v.name })}
                data-testid="design-view-go"
              >
                {t('design.views.go')}
              </button>
              <button
                type="button"
                className="button button--small"
                aria-label={t('design.views.delete', { name: v.name })}
                title={t('design.views.delete', { name: v.name })}
                onClick={() => edit((l) => removeViewpoint(l, v.id))}
                data-testid="design-view-delete"
              >
                ×
              </button>
            </div>
            {(problems.get(v.id) ?? []).map((text) => (
              <span key={text} className="design-field__problem" data-testid="design-view-problem">
                {text}
              </span>
            ))}
          </li>
        ))}
      </ul>
    </div>
  );
}
