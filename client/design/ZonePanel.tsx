import type { MessageKey } from '../i18n/messages';
import { useT } from '../i18n/useT';
import { CheckedField } from './CheckedField';
import { CommitField } from './CommitField';
import { useDesignStore } from './designStore';
import { listIds } from './edits/draftIds';
import { entryOf, moveZoneCorner, removeEntry, renameZone, setEntryField } from './edits/zoneLineEdits';
import { useLayoutTools } from './layoutTools';
import { type Checked, checkName, parseFigure } from './propFields';

/** Props of ZonePanel (none: it reads the stores). */
export type ZonePanelProps = Record<string, never>;

const ZONE_KINDS = ['hall', 'warehouse', 'outdoor', 'utility'] as const;

const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** Wall height, m: 0 (open ground) to 50. */
function checkHeight(s: string): Checked {
  const v = parseFigure(s);
  if (s.trim() === '') return { ok: true, value: undefined };
  if (!Number.isFinite(v)) return { ok: false, problem: { key: 'design.check.number' } };
  if (v < 0) return { ok: false, problem: { key: 'design.check.atLeast', params: { min: '0' } } };
  if (v > 50) return { ok: false, problem: { key: 'design.check.atMost', params: { max: '50' } } };
  return { ok: true, value: v };
}

/**
 * Zones: draw a new one (two corners on the floor), choose one, and edit its id, names, kind,
 * wall height and corners (also draggable in the view); delete it.
 */
export function ZonePanel(_: ZonePanelProps) {
  const { t } = useT();
  const layout = useDesignStore((s) => s.history.present);
  const edit = useDesignStore((s) => s.edit);
  const chosen = useLayoutTools((s) => s.zone);
  const drawing = useLayoutTools((s) => s.drawing);
  const corner = useLayoutTools((s) => s.corner);
  const ids = listIds(layout, 'zones');
  const zone = chosen ? entryOf(layout, 'zones', chosen) : null;
  const min = (zone?.min as number[] | undefined) ?? [];
  const max = (zone?.max as number[] | undefined) ?? [];
  const set = (field: string, value: unknown) =>
    chosen && edit((l) => setEntryField(l, 'zones', chosen, field, value));
  // Corner 0 is (min x, min z), corner 2 (max x, max z).
  const setCorner = (c: 0 | 2, axis: 0 | 1, v: number) => {
    if (!chosen) return;
    const p = c === 0 ? [min[0], min[1]] : [max[0], max[1]];
    p[axis] = v;
    edit((l) => moveZoneCorner(l, chosen, c, p[0], p[1]));
  };

  return (
    <div className="design-panel__body" data-testid="design-zones">
      <button
        type="button"
        className={drawing ? 'button is-on' : 'button'}
        aria-pressed={drawing}
        onClick={() => useLayoutTools.setState({ drawing: !drawing, corner: null })}
        data-testid="design-zone-draw"
      >
        {t('design.zones.draw')}
      </button>
      {drawing && (
        <p className="design-muted design-props__hint" role="status">
          {t(corner ? 'design.zones.drawSecond' : 'design.zones.drawFirst')}
        </p>
      )}
      <div className="design-field">
        <label htmlFor="design-zone-pick">{t('design.zones.pick')}</label>
        <select
          id="design-zone-pick"
          className="design-input"
          value={chosen ?? ''}
          onChange={(ev) => useLayoutTools.setState({ zone: ev.target.value || null })}
          data-testid="design-zone-pick"
        >
          <option value="">{t('design.panel.choose')}</option>
          {ids.map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
      </div>
      {zone && chosen && (
        <div className="design-props" key={chosen}>
          <CommitField
            id="design-zone-id"
            label={t('design.field.id')}
            value={chosen}
            onCommit={(s) => {
              const next = s.trim();
              if (!next) return;
              edit((l) => renameZone(l, chosen, next));
              useLayoutTools.setState({ zone: next });
            }}
            testId="design-zone-id"
          />
          <CheckedField
            id="design-zone-name"
            label={t('design.field.name')}
            value={text(zone.name)}
            check={(s) => checkName(s, false)}
            onApply={(v) => set('name', v)}
            testId="design-zone-name"
          />
          <CheckedField
            id="design-zone-name-zh"
            label={t('design.props.nameZh')}
            value={text((zone.names as Record<string, unknown> | undefined)?.['zh-CN'])}
            check={(s) => checkName(s, true)}
            onApply={(v) => set('nameZh', v)}
            testId="design-zone-name-zh"
          />
          <div className="design-row">
            <div className="design-field">
              <label htmlFor="design-zone-kind">{t('design.field.kind')}</label>
              <select
                id="design-zone-kind"
                className="design-input"
                value={text(zone.kind)}
                onChange={(ev) => set('kind', ev.target.value)}
                data-testid="design-zone-kind"
              >
                {ZONE_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`design.zoneKind.${k}` as MessageKey)}
                  </option>
                ))}
              </select>
            </div>
            <CheckedField
              id="design-zone-height"
              label={t('design.zones.height')}
              unit="m"
              numeric
              value={text(zone.height)}
              placeholder={t('design.props.default', { value: '8' })}
              check={checkHeight}
              onApply={(v) => set('height', v)}
              testId="design-zone-height"
            />
          </div>
          <div className="design-row">
            <CommitField
              id="design-zone-minx"
              label={t('design.zones.minX')}
              type="number"
              step={0.5}
              value={text(min[0])}
              onCommit={(s) => setCorner(0, 0, parseFigure(s))}
              testId="design-zone-minx"
            />
            <CommitField
              id="design-zone-minz"
              label={t('design.zones.minZ')}
              type="number"
              step={0.5}
              value={text(min[1])}
              onCommit={(s) => setCorner(0, 1, parseFigure(s))}
              testId="design-zone-minz"
            />
          </div>
          <div className="design-row">
            <CommitField
              id="design-zone-maxx"
              label={t('design.zones.maxX')}
              type="number"
              step={0.5}
              value={text(max[0])}
              onCommit={(s) => setCorner(2, 0, parseFigure(s))}
              testId="design-zone-maxx"
            />
            <CommitField
              id="design-zone-maxz"
              label={t('design.zones.maxZ')}
              type="number"
              step={0.5}
              value={text(max[1])}
              onCommit={(s) => setCorner(2, 1, parseFigure(s))}
              testId="design-zone-maxz"
            />
          </div>
          <button
            type="button"
            className="button button--danger"
            onClick={() => {
              edit((l) => removeEntry(l, 'zones', chosen));
              useLayoutTools.setState({ zone: null });
            }}
            data-testid="design-zone-delete"
          >
            {t('design.zones.delete')}
          </button>
        </div>
      )}
    </div>
  );
}
