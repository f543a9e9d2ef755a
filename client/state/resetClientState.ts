import { useAlarmStore } from './alarmStore';
import { useAuditUiStore } from './auditUiStore';
import { useConnectionStore } from './connectionStore';
import { usePlantStore } from './plantStore';
import { useSelectionStore } from './selectionStore';
import { useSourcesUiStore } from './sourcesUiStore';

/**
 * Forgets everything the last plant connection brought (layout, buffer, alarms, selection, an open
 * audit or sources view), so the
 * next user to log in on this screen never sees the previous one's data, even for a moment.
 */
export function resetClientState(): void {
  usePlantStore.setState({ layout: null, buffer: null, kpis: null, events: [], seq: 0, speed: 1 });
  useAlarmStore.setState({ alarms: new Map(), seq: 0 });
  useSelectionStore.setState({ selectedId: null, flyTo: null });
  useConnectionStore.setState({ status: 'connecting' });
  useAuditUiStore.setState({ open: false });
  useSourcesUiStore.setState({ open: false });
}
