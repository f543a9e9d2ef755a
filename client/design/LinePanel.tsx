import { useT } from '../i18n/useT';
import { CheckedField } from './CheckedField';
import { CommitField } from './CommitField';
import { useDesignStore } from './designStore';
import { designView } from './designView';
import { listIds } from './edits/draftIds';
import {
  appendToFlow,
  entryOf,
  moveInFlow,
  removeEntry,
  removeFromFlow,
  renameLine,
  setEntryField,
} from './edits/zoneLineEdits';
import { equipmentOf } from './layoutEdits';
import { newLine, useLayoutTools } from './layoutTools';
import { type Checked, checkName, parseFigure } from './propFields';

/** Props of LinePanel (none: it reads the stores). */
export type LinePanelProps = Record<string, never>;

const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** Units per hour: above 0, at most 100000. */
function checkTarget(s: string): Checked {
  const v = parseFigure(s);
  if (s.trim() === '') return { ok: false, problem: { key: 'design.check.required' } };
  if (!Number.isFinite(v)) return { ok: false, problem: { key: 'design.check.number' } };
  if (v <= 0) return { ok: false, problem: { key: 'design.check.above', params: { min: '0' } } };
  if (v > 100000) return { ok: false, problem: { key: 'design.check.atMost', params: { max: '100000' } } };
  return { ok: true, value: v };
}

/**
 * Production lines: create one, choose one, edit its id, names, zone and target per hour, and its
 * flow: pick equipment in order (clicks in the view while "Pick in the view" is on, or the list),
 * move entries up and down, remove them; delete the line.
 */
export function LinePanel(_: LinePanelProps) {
  const { t } = useT();
  const layout = useDesignStore((s) => s.history.present);
  const edit = useDesignStore((s) => s.edit);
  const chosen = useLayoutTools((s) => s.line);
  const picking = useLayoutTools((s) => s.pickingFlow);
  const line = chosen ? entryOf(layout, 'lines', chosen) : null;
  const flow = Array.isArray(line?.flow) ? (line.flow as unknown[]).map(text) : [];
  const set = (field: string, value: unknown) =>
    chosen && edit((l) => setEntryField(l, 'lines', chosen, field, value));

  return (
    <div className="design-panel__body" data-testid="design-lines">
      <button
        type="button"
        className="button"
        onClick={() => newLine(designView.centre.x, designView.centre.z)}
        data-testid="design-line-new"
      >
        {t('design.lines.new')}
      </button>
      <div className="design-field">
        <label htmlFor="design-line-pick">{t('design.lines.pick')}</label>
        <select
          id="design-line-pick"
          className="design-input"
          value={chosen ?? ''}
          onChange={(ev) => useLayoutTools.setState({ line: ev.target.value || null, pickingFlow: false })}
          data-testid="design-line-pick"
        >
          <option value="">{t('design.panel.choose')}</option>
          {listIds(layout, 'lines').map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
      </div>
      {line && chosen && (
        <div className="design-props" key={chosen}>
          <CommitField
            id="design-line-id"
            label={t('design.field.id')}
            value={chosen}
            onCommit={(s) => {
              const next = s.trim();
              if (!next) return;
              edit((l) => renameLine(l, chosen, next));
              useLayoutTools.setState({ line: next });
            }}
            testId="design-line-id"
          />
          <CheckedField
            id="design-line-name"
            label={t('design.field.name')}
            value={text(line.name)}
            check={(s) => checkName(s, false)}
            onApply={(v) => set('name', v)}
            testId="design-line-name"
          />
          <CheckedField
            id="design-line-name-zh"
            label={t('design.props.nameZh')}
            value={text((line.names as Record<string, unknown> | undefined)?.['zh-CN'])}
            check={(s) => checkName(s, true)}
            onApply={(v) => set('nameZh', v)}
            testId="design-line-name-zh"
          />
          <div className="design-row">
            <div className="design-field">
              <label htmlFor="design-line-zone">{t('design.field.zone')}</label>
              <select
                id="design-line-zone"
                className="design-input"
                value={text(line.zone)}
                onChange={(ev) => set('zone', ev.target.value || undefined)}
                data-testid="design-line-zone"
              >
                <option value="">—</option>
                {listIds(layout, 'zones').map((id) => (
                  <option key={id} value={id}>
                    {id}
                  </option>
                ))}
              </select>
            </div>
            <CheckedField
              id="design-line-target"
              label={t('design.lines.target')}
              numeric
              value={text(line.targetPerHour)}
              check={checkTarget}
              onApply={(v) => set('targetPerHour', v)}
              testId="design-line-target"
            />
          </div>
          <p className="design-field__label">{t('design.lines.flow')}</p>
          {flow.length === 0 && (
            <p className="design-muted design-props__hint">{t('design.lines.flowEmpty')}</p>
          )}
          <ol className="design-flow" data-testid="design-flow">
            {flow.map((id, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a draft's flow may name a piece twice.
              <li key={`${id}:${i}`} className="design-flow__item">
                <span className="design-flow__id">{id}</span>
                <button
                  type="button"
                  className="button button--small"
                  disabled={i === 0}
                  aria-label={t('design.lines.up', { id })}
                  title={t('design.lines.up', { id })}
                  onClick={() => edit((l) => moveInFlow(l, chosen, i, -1))}
                  data-testid="design-flow-up"
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="button button--small"
                  disabled={i === flow.length - 1}
                  aria-label={t('design.lines.down', { id })}
                  title={t('design.lines.down', { id })}
                  onClick={() => edit((l) => moveInFlow(l, chosen, i, 1))}
                  data-testid="design-flow-down"
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="button button--small"
                  aria-label={t('design.lines.remove', { id })}
                  title={t('design.lines.remove', { id })}
                  onClick={() => edit((l) => removeFromFlow(l, chosen, i))}
                  data-testid="design-flow-remove"
                >
                  ×
                </button>
              </li>
            ))}
          </ol>
          <button
            type="button"
            className={picking ? 'button is-on' : 'button'}
            aria-pressed={picking}
            onClick={() => useLayoutTools.setState({ pickingFlow: !picking })}
            data-testid="design-flow-pick"
          >
            {t('design.lines.pickInView')}
          </button>
          <div className="design-field">
            <label htmlFor="design-flow-add">{t('design.lines.add')}</label>
            <select
              id="design-flow-add"
              className="design-input"
              value=""
              onChange={(ev) => ev.target.value && edit((l) => appendToFlow(l, chosen, ev.target.value))}
              data-testid="design-flow-add"
            >
              <option value="">{t('design.panel.choose')}</option>
              {equipmentOf(layout)
                .filter((e) => !flow.includes(e.id))
                .map((e) => (
                  <option key={e.id} value={e.id}>
                    {e.id}
                  </option>
                ))}
            </select>
          </div>
          <button
            type="button"
            className="button button--danger"
            onClick={() => {
              edit((l) => removeEntry(l, 'lines', chosen));
              useLayoutTools.setState({ line: null, pickingFlow: false });
            }}
            data-testid="design-line-delete"
          >
            {t('design.lines.delete')}
          </button>
        </div>
      )}
    </div>
  );
}
