import { type RefObject, useRef, useState } from 'react';
import type { EquipmentDetail } from '../../../protocol';
import type { Locale } from '../../i18n/messages';
import { fetchEquipment } from '../../net/ingestApi';
import type { TwinBuffer } from '../../state/twinBuffer';
import { usePoll } from '../usePoll';
import { useRepaint } from '../useRepaint';
import { type DataQualityView, dataQualityView } from './dataQualityView';

/** The selected equipment's detail is asked about once a second (human rate, DESIGN principle 9). */
export const EQUIPMENT_POLL_MS = 1000;
/** How often a data mark arriving in the frames is looked at, ms (it may change between polls). */
const MARK_CHECK_MS = 250;

/** What the inspector's data-quality block knows. */
export interface DataQualityState {
  status: 'loading' | 'ok' | 'error';
  /** The view of the latest answer (kept through a failed poll, so the block does not flicker). */
  view: DataQualityView | null;
  /** The latest answer itself: times are painted from it through refs, never by a render. */
  latest: RefObject<EquipmentDetail | null>;
}

/** Only what changes the markup: a new answer with the same facts costs no render. */
function viewKey(v: DataQualityView | null): string {
  return v ? `${v.source.text}|${v.quality}|${v.standIn}|${Object.entries(v.marks).join(',')}` : '';
}

/**
 * Polls `GET /api/equipment/:id` while the inspector shows `id` and the tab is visible, and merges
 * the twin buffer's data mark of the equipment (fresher than the poll; the only sign of a
 * stand-in). Renders only when the shown facts change, not on every answer.
 */
export function useDataQuality(
  id: string,
  buffer: TwinBuffer,
  index: number,
  locale: Locale,
  enabled: boolean,
): DataQualityState {
  const latest = useRef<EquipmentDetail | null>(null);
  const [state, setState] = useState<{ status: DataQualityState['status']; view: DataQualityView | null }>({
    status: 'loading',
    view: null,
  });
  const shownKey = useRef('');
  const shownStatus = useRef<DataQualityState['status']>('loading');

  const show = (status: DataQualityState['status']) => {
    const d = latest.current;
    const view = d ? dataQualityView(locale, d, buffer.mark[index]) : null;
    const key = viewKey(view);
    if (key === shownKey.current && status === shownStatus.current) return;
    shownKey.current = key;
    shownStatus.current = status;
    setState({ status, view });
  };

  usePoll(
    async (token) => {
      const r = await fetchEquipment(id);
      if (!token.live) return;
      if (r.ok) latest.current = r.equipment;
      show(r.ok ? 'ok' : 'error');
    },
    EQUIPMENT_POLL_MS,
    [id],
    enabled,
  );

  // A new data mark in the frames (or a new language) shows at once, not at the next poll.
  useRepaint(
    () => {
      if (latest.current) show(shownStatus.current);
    },
    MARK_CHECK_MS,
    [buffer, index, locale],
  );

  return { ...state, latest };
}
