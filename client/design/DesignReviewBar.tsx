import { useState } from 'react';
import { useT } from '../i18n/useT';
import { CommentsToggle } from './CommentsToggle';
import { exportDraft } from './designActions';
import { useDesignPanels } from './designPanels';

/** Props of DesignReviewBar (none: it reads the stores). */
export type DesignReviewBarProps = Record<string, never>;

/**
 * Over the top of the view: the draft's review tools. Changes (the diff against the live plant,
 * listed and marked in the view), What-if (simulate and compare), Models (the 3D models the plant
 * is drawn with) and Export (the plant file).
 */
export function DesignReviewBar(_: DesignReviewBarProps) {
  const { t } = useT();
  const changesOpen = useDesignPanels((s) => s.changesOpen);
  const modelsOpen = useDesignPanels((s) => s.modelsOpen);
  const [exporting, setExporting] = useState(false);
  return (
    <nav className="design-review panel" aria-label={t('design.review')} data-testid="design-review">
      <button
        type="button"
        className={changesOpen ? 'button is-on' : 'button'}
        aria-pressed={changesOpen}
        title={t('design.changes.toggleTitle')}
        onClick={() => useDesignPanels.setState({ changesOpen: !changesOpen })}
        data-testid="design-changes-toggle"
      >
        {t('design.changes.toggle')}
      </button>
      <button
        type="button"
        className="button"
        aria-haspopup="dialog"
        title={t('design.whatif.openTitle')}
        onClick={() => useDesignPanels.setState({ whatIfOpen: true })}
        data-testid="design-whatif"
      >
        {t('design.whatif.open')}
      </button>
      <button
        type="button"
        className={modelsOpen ? 'button is-on' : 'button'}
        aria-pressed={modelsOpen}
        title={t('models.toggleTitle')}
        onClick={() => useDesignPanels.setState({ modelsOpen: !modelsOpen })}
        data-testid="models-toggle"
      >
        {t('models.toggle')}
      </button>
      <CommentsToggle />
      <button
        type="button"
        className="button"
        disabled={exporting}
        title={t('design.exportTitle')}
        onClick={() => {
          setExporting(true);
          void exportDraft().finally(() => setExporting(false));
        }}
        data-testid="design-export"
      >
        {t('design.export')}
      </button>
    </nav>
  );
}
