import { useEffect, useState } from 'react';
import type { ApiRefusal } from '../auth/api';
import { SceneBoundary } from '../hud/SceneBoundary';
import { refusalText } from '../i18n/refusalText';
import { useT } from '../i18n/useT';
import { marksProbe } from './ChangeMarksView';
import { ChangesPanel } from './ChangesPanel';
import { DesignCanvas } from './DesignCanvas';
import { DesignReviewBar } from './DesignReviewBar';
import { DesignToolbar } from './DesignToolbar';
import { useSaveStore } from './designActions';
import { fetchDesign } from './designApi';
import { resetPanels, useDesignPanels } from './designPanels';
import { isDirty, useDesignStore } from './designStore';
import { screenPoint, screenPositionOf } from './designView';
import { EquipmentPanel } from './EquipmentPanel';
import { ErrorList } from './ErrorList';
import { HeatControl } from './HeatControl';
import { heatMapProbe } from './HeatMap';
import { ModelsPanel } from './ModelsPanel';
import { PalettePanel } from './PalettePanel';
import { useDesignKeys } from './useDesignKeys';
import { WhatIfDialog } from './WhatIfDialog';

/** Props of DesignEditor. */
export type DesignEditorProps = {
  /** The draft's id. */
  id: string;
  /** Back to the draft list. */
  onClose: () => void;
};

/** For tests and kiosk checks: where equipment is on screen, and the editor's state (read-only). */
function installDiagnostics(): () => void {
  const w = window as unknown as { __design?: unknown };
  w.__design = {
    screenPosition: (id: string) => screenPositionOf(useDesignStore.getState().history.present, id),
    screenPoint,
    selected: () => useDesignStore.getState().selected,
    dirty: () => isDirty(useDesignStore.getState()),
    heatMap: () => ({ ...heatMapProbe }),
    marks: () => ({ ...marksProbe }),
  };
  return () => {
    w.__design = undefined;
  };
}

/**
 * The draft editor: the draft in 3D filling the screen, the top bar, the palette and the problems
 * on the left, the selected equipment on the right. Asks before leaving with unsaved changes.
 */
export function DesignEditor({ id, onClose }: DesignEditorProps) {
  const { t, locale } = useT();
  const loaded = useDesignStore((s) => s.design?.id === id);
  const [failed, setFailed] = useState<ApiRefusal | null>(null);
  const changesOpen = useDesignPanels((s) => s.changesOpen);
  const whatIfOpen = useDesignPanels((s) => s.whatIfOpen);
  const modelsOpen = useDesignPanels((s) => s.modelsOpen);
  useDesignKeys();

  useEffect(() => {
    let live = true;
    useSaveStore.setState({ saving: false, notice: null });
    resetPanels();
    void fetchDesign(id).then((r) => {
      if (!live) return;
      if (r.ok)
        useDesignStore.getState().open(r.design, (r.layout ?? {}) as Record<string, unknown>, r.errors);
      else setFailed(r);
    });
    const uninstall = installDiagnostics();
    // Leaving the page with unsaved changes asks first (the browser's own dialog).
    const beforeUnload = (e: BeforeUnloadEvent) => {
      if (isDirty(useDesignStore.getState())) e.preventDefault();
    };
    window.addEventListener('beforeunload', beforeUnload);
    return () => {
      live = false;
      uninstall();
      window.removeEventListener('beforeunload', beforeUnload);
      useDesignStore.setState({ design: null, saved: null });
    };
  }, [id]);

  if (failed)
    return (
      <div className="design-page">
        <div className="design-card panel" role="alert">
          <p className="design-error">{refusalText(locale, failed)}</p>
          <button type="button" className="button" onClick={onClose}>
            {t('design.drafts.link')}
          </button>
        </div>
      </div>
    );
  if (!loaded)
    return (
      <div className="design-page">
        <p className="design-muted">{t('design.loading')}</p>
      </div>
    );
  return (
    <div className="design-editor" data-testid="design-editor">
      <div className="design-editor__scene">
        <SceneBoundary>
          <DesignCanvas />
        </SceneBoundary>
      </div>
      <DesignToolbar onClose={onClose} />
      <div className="design-editor__left">
        <PalettePanel />
        <ErrorList />
      </div>
      <DesignReviewBar />
      <HeatControl />
      <div className="design-editor__right">
        {modelsOpen && <ModelsPanel />}
        {changesOpen && <ChangesPanel />}
        <EquipmentPanel />
        <p className="design-keys panel">{t('design.keys')}</p>
      </div>
      {whatIfOpen && <WhatIfDialog onClose={() => useDesignPanels.setState({ whatIfOpen: false })} />}
    </div>
  );
}
