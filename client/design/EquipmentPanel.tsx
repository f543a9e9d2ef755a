import type { ReactNode } from 'react';
import { type Locale, pickText } from '../../protocol';
import { useT } from '../i18n/useT';
import { CommitField } from './CommitField';
import { deleteSelected, duplicateSelected } from './designActions';
import { useDesignStore } from './designStore';
import { rezone } from './edits/autoZone';
import {
  type DraftEquipment,
  equipmentOf,
  findEquipment,
  isKind,
  moveEquipment,
  renameEquipment,
  rotateEquipment,
} from './layoutEdits';
import { PropsForm } from './PropsForm';

/** Props of EquipmentPanel (none: it reads the design store). */
export type EquipmentPanelProps = Record<string, never>;

/** The equipment's name in the reader's language (its id when the draft gives none). */
function nameOf(e: DraftEquipment, locale: Locale): string {
  if (typeof e.name !== 'string' || !e.name) return e.id;
  const names = e.names as { 'zh-CN'?: string } | undefined;
  return pickText(e.name, typeof names === 'object' && names !== null ? names : undefined, locale);
}

/** A figure as typed into a field: "12,5" reads as 12.5; anything else not a number is NaN. */
function parseFigure(text: string): number {
  const t = text.trim().replace(',', '.');
  return t === '' ? Number.NaN : Number(t);
}

/**
 * The selected equipment: choose it from a list (keyboard users), its id, kind and zone, and its
 * position x/z (m) and rotation (°) as numbers; duplicate and delete.
 */
export function EquipmentPanel(_: EquipmentPanelProps) {
  const { t, locale } = useT();
  const layout = useDesignStore((s) => s.history.present);
  const selected = useDesignStore((s) => s.selected);
  const e = selected ? findEquipment(layout, selected) : null;
  const edit = useDesignStore((s) => s.edit);
  const list = equipmentOf(layout);
  const kindName = (k: string): ReactNode => (isKind(k) ? t(`kind.${k}`) : k);

  return (
    <section
      className="design-panel design-panel--scroll panel"
      aria-labelledby="design-selected-title"
      data-testid="design-selected"
    >
      <h2 className="panel__title" id="design-selected-title">
        {t('design.panel.title')}
      </h2>
      <div className="design-panel__body">
        <div className="design-field">
          <label htmlFor="design-pick">{t('design.panel.pick')}</label>
          <select
            id="design-pick"
            className="design-input"
            value={selected ?? ''}
            onChange={(ev) => useDesignStore.getState().select(ev.target.value || null)}
            data-testid="design-pick"
          >
            <option value="">{t('design.panel.choose')}</option>
            {list.map((x, i) => (
              // Duplicate ids are possible in a draft: the index keeps the keys apart.
              // biome-ignore lint/suspicious/noArrayIndexKey: ids may repeat while a draft is invalid.
              <option key={`${x.id}:${i}`} value={x.id}>
                {x.id}
              </option>
            ))}
          </select>
        </div>
        {!e && <p className="design-muted">{t('design.panel.none')}</p>}
        {e && (
          <>
            <CommitField
              id="design-id"
              label={t('design.field.id')}
              value={e.id}
              onCommit={(text) => {
                const next = text.trim();
                if (next) edit((l) => renameEquipment(l, e.id, next), next);
              }}
              testId="design-field-id"
            />
            <dl className="design-facts">
              <dt>{t('design.field.name')}</dt>
              <dd className="design-facts__name">{nameOf(e, locale)}</dd>
              <dt>{t('design.field.kind')}</dt>
              <dd data-testid="design-kind">{kindName(e.kind)}</dd>
            </dl>
            <div className="design-row">
              <CommitField
                id="design-x"
                label={t('design.field.x')}
                type="number"
                step={0.5}
                value={String(e.position[0])}
                onCommit={(text) =>
                  edit((l) => rezone(moveEquipment(l, e.id, parseFigure(text), e.position[2]), [e.id]))
                }
                testId="design-field-x"
              />
              <CommitField
                id="design-z"
                label={t('design.field.z')}
                type="number"
                step={0.5}
                value={String(e.position[2])}
                onCommit={(text) =>
                  edit((l) => rezone(moveEquipment(l, e.id, e.position[0], parseFigure(text)), [e.id]))
                }
                testId="design-field-z"
              />
            </div>
            <CommitField
              id="design-rotation"
              label={t('design.field.rotation')}
              type="number"
              step={15}
              value={String(e.rotation ?? 0)}
              onCommit={(text) => edit((l) => rezone(rotateEquipment(l, e.id, parseFigure(text)), [e.id]))}
              testId="design-field-rotation"
            />
            <PropsForm key={e.id} e={e} />
            <div className="design-row">
              <button
                type="button"
                className="button"
                title={t('design.duplicateTitle')}
                onClick={duplicateSelected}
                data-testid="design-duplicate"
              >
                {t('design.duplicate')}
              </button>
              <button
                type="button"
                className="button button--danger"
                title={t('design.deleteTitle')}
                onClick={deleteSelected}
                data-testid="design-delete"
              >
                {t('design.delete')}
              </button>
            </div>
          </>
        )}
      </div>
    </section>
  );
}
