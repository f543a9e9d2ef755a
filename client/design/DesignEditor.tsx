import { useEffect, useState } from 'react';
import type { ApiRefusal } from '../auth/api';
import { useAuthStore } from '../auth/authStore';
import { SceneBoundary } from '../hud/SceneBoundary';
import { refusalText } from '../i18n/refusalText';
import { useT } from '../i18n/useT';
import { marksProbe } from './ChangeMarksView';
import { ChangesPanel } from './ChangesPanel';
import { CommentsPanel } from './CommentsPanel';
import { type CollabSession, startCollab } from './collabBinding';
import { useCollabStore } from './collabStore';
import { pinsOf } from './commentPins';
import { useCommentsStore } from './commentsStore';
import { DesignCanvas } from './DesignCanvas';
import { DesignReviewBar } from './DesignReviewBar';
import { DesignToolbar } from './DesignToolbar';
import { useSaveStore } from './designActions';
import { fetchDesign } from './designApi';
import { resetPanels, useDesignPanels } from './designPanels';
import { isDirty, useDesignStore } from './designStore';
import { designView, screenPoint, screenPositionOf } from './designView';
import { ErrorList } from './ErrorList';
import { errorMarksProbe } from './ErrorMarksView';
import { connectNodes } from './edits/pathEdits';
import { HeatControl } from './HeatControl';
import { heatMapProbe } from './HeatMap';
import { useLayoutTools } from './layoutTools';
import { ModelsPanel } from './ModelsPanel';
import { PalettePanel } from './PalettePanel';
import { PathPanel } from './PathPanel';
import { usePathTool } from './pathTool';
import { resetRouteTool } from './routeTool';
import { SideTabs } from './SideTabs';
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
function installDiagnostics(collab: () => CollabSession | null): () => void {
  const w = window as unknown as { __design?: unknown };
  w.__design = {
    /** The layout this page holds now, and live editing's status and the others' names. */
    layout: () => useDesignStore.getState().history.present,
    collab: () => ({
      status: useCollabStore.getState().status,
      peers: useCollabStore.getState().peers.map((p) => p.name),
    }),
    /** Edits through the store's one entry point, as the editing panels do. */
    addEdge: (a: string, b: string) => useDesignStore.getState().edit((l) => connectNodes(l, a, b)),
    /** Drops and restores the live-editing socket (the offline case). */
    disconnect: () => collab()?.disconnect(),
    reconnect: () => collab()?.reconnect(),
    screenPosition: (id: string) => screenPositionOf(useDesignStore.getState().history.present, id),
    screenPoint,
    selected: () => useDesignStore.getState().selected,
    selection: () => [...useDesignStore.getState().selection],
    node: () => usePathTool.getState().node,
    dirty: () => isDirty(useDesignStore.getState()),
    heatMap: () => ({ ...heatMapProbe }),
    marks: () => ({ ...marksProbe }),
    /** The draft's comment threads as this page holds them. */
    comments: () => useCommentsStore.getState().threads,
    /** Where thread `id`'s pin is on screen (null: not drawn), and the pins drawn. */
    commentPin: (id: string) => {
      const c = useCommentsStore.getState();
      const p = pinsOf(c.threads, useDesignStore.getState().history.present, c.user, c.showResolved).find(
        (x) => x.id === id,
      );
      return p ? screenPoint(p.x, p.y, p.z) : null;
    },
    floorPoint: (x: number, z: number) => screenPoint(x, 0, z),
    /** The zones, lines and drone routes drawn red for the server's errors. */
    errorMarks: () => structuredClone(errorMarksProbe),
    /** Where the camera stands and what it looks at, m. */
    camera: () => {
      const { camera, controls } = designView;
      return camera && controls
        ? { position: camera.position.toArray(), target: controls.target.toArray() }
        : null;
    },
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
  const refusal = useCollabStore((s) => s.refusal);
  const modelsOpen = useDesignPanels((s) => s.modelsOpen);
  const commentsOpen = useCommentsStore((s) => s.open);
  useDesignKeys();

  useEffect(() => {
    let live = true;
    let collab: CollabSession | null = null;
    useSaveStore.setState({ saving: false, notice: null });
    resetPanels();
    useLayoutTools.setState({ zone: null, line: null, drawing: false, corner: null, pickingFlow: false });
    usePathTool.setState({ on: false, node: null });
    resetRouteTool();
    void fetchDesign(id).then((r) => {
      if (!live) return;
      const { token, user } = useAuthStore.getState();
      if (!r.ok) setFailed(r);
      // Live editing: the editor opens once the draft's shared doc has arrived.
      else if (token && user) collab = startCollab(r.design, token, user);
      else useDesignStore.getState().open(r.design, (r.layout ?? {}) as Record<string, unknown>, r.errors);
    });
    const uninstall = installDiagnostics(() => collab);
    // Leaving the page with unsaved changes asks first (the browser's own dialog).
    const beforeUnload = (e: BeforeUnloadEvent) => {
      if (isDirty(useDesignStore.getState())) e.preventDefault();
    };
    window.addEventListener('beforeunload', beforeUnload);
    return () => {
      live = false;
      collab?.close();
      uninstall();
      window.removeEventListener('beforeunload', beforeUnload);
      useDesignStore.setState({ design: null, saved: null });
    };
  }, [id]);

  const shown = failed ?? refusal;
  if (shown)
    return (
      <div className="design-page">
        <div className="design-card panel" role="alert">
          <p className="design-error">
            {failed
              ? refusalText(locale, failed)
              : t('design.collab.refused', { reason: refusalText(locale, shown) })}
          </p>
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
        <PathPanel />
        <ErrorList />
      </div>
      <DesignReviewBar />
      <HeatControl />
      <div className="design-editor__right">
        {commentsOpen && <CommentsPanel />}
        {modelsOpen && <ModelsPanel />}
        {changesOpen && <ChangesPanel />}
        <SideTabs />
        <p className="design-keys panel">{t('design.keys')}</p>
      </div>
      {whatIfOpen && <WhatIfDialog onClose={() => useDesignPanels.setState({ whatIfOpen: false })} />}
    </div>
  );
}
