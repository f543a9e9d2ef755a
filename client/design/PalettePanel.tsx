import { EQUIPMENT_KINDS } from '../../protocol';
import { useT } from '../i18n/useT';
import { addAtCentre } from './designActions';

/** Props of PalettePanel (none). */
export type PalettePanelProps = Record<string, never>;

/** One button per equipment kind: adds a new one, with a fresh id, at the centre of the view. */
export function PalettePanel(_: PalettePanelProps) {
  const { t } = useT();
  return (
    <section
      className="design-panel panel"
      aria-labelledby="design-palette-title"
      data-testid="design-palette"
    >
      <h2 className="panel__title" id="design-palette-title">
        {t('design.palette')}
      </h2>
      <div className="design-palette">
        {EQUIPMENT_KINDS.map((kind) => (
          <button
            key={kind}
            type="button"
            className="button design-palette__kind"
            title={t('design.addTitle', { kind: t(`kind.${kind}`) })}
            onClick={() => addAtCentre(kind)}
            data-testid={`design-add-${kind}`}
          >
            <span aria-hidden="true" className="design-palette__plus">
              +
            </span>
            {t(`kind.${kind}`)}
          </button>
        ))}
      </div>
    </section>
  );
}
