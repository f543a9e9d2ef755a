import { create } from 'zustand';
import type { LayoutDiff, WhatIfAnswer } from '../../protocol';
import type { ApiRefusal } from '../auth/api';
import { fetchDiff, fetchVersionLayout } from './designApi';
import type { DraftLayout } from './layoutEdits';
import type { HeatKind } from './whatIfView';

/** The editor's review side: the Changes panel with its diff, the last what-if and the heat map. */
export interface DesignPanelsState {
  /** The Changes panel is open (and its marks drawn in the view). */
  changesOpen: boolean;
  /** What the draft is compared with: `live` or a version id. */
  baseline: string;
  diff: LayoutDiff | null;
  /** The baseline's layout where it could be read (a version): where removed equipment stood. */
  baselineLayout: DraftLayout | null;
  loading: boolean;
  failed: ApiRefusal | null;
  /** The last what-if's answer (for the table and the heat map). */
  whatIf: Omit<WhatIfAnswer, 'ok'> | null;
  /** The heat map on the floor, or none. */
  heat: HeatKind | null;
  /** The what-if dialog is open. */
  whatIfOpen: boolean;
  /** The Models panel is open. */
  modelsOpen: boolean;
}

export const useDesignPanels = create<DesignPanelsState>(() => ({
  changesOpen: false,
  baseline: 'live',
  diff: null,
  baselineLayout: null,
  loading: false,
  failed: null,
  whatIf: null,
  heat: null,
  whatIfOpen: false,
  modelsOpen: false,
}));

/** Back to nothing open (another draft opens). */
export function resetPanels(): void {
  useDesignPanels.setState({
    changesOpen: false,
    baseline: 'live',
    diff: null,
    baselineLayout: null,
    loading: false,
    failed: null,
    whatIf: null,
    heat: null,
    whatIfOpen: false,
    modelsOpen: false,
  });
}

let asked = 0;

/** Reads the stored draft's diff against the chosen baseline (and a version's layout for ghosts). */
export async function loadDiff(id: string): Promise<void> {
  const { baseline } = useDesignPanels.getState();
  const me = ++asked;
  useDesignPanels.setState({ loading: true, failed: null });
  const [d, v] = await Promise.all([
    fetchDiff(id, baseline),
    baseline === 'live' ? Promise.resolve(null) : fetchVersionLayout(id, baseline),
  ]);
  if (me !== asked) return;
  const layout =
    v?.ok && typeof v.layout === 'object' && v.layout !== null ? (v.layout as DraftLayout) : null;
  if (d.ok) useDesignPanels.setState({ diff: d.diff, baselineLayout: layout, loading: false });
  else useDesignPanels.setState({ diff: null, baselineLayout: null, loading: false, failed: d });
}
