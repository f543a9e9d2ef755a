import { useEffect, useRef } from 'react';
import { MACHINE_STATES, signalsOf } from '../../protocol';
import { kindLabel } from '../hud/kindLabel';
import { SignalTable } from '../hud/SignalTable';
import { paintStateChip } from '../hud/stateChip';
import { TrendChart } from '../hud/TrendChart';
import { trendSignalIndexes } from '../hud/trendSampler';
import { useRepaint } from '../hud/useRepaint';
import { usePlantStore } from '../state/plantStore';
import { useSelectionStore } from '../state/selectionStore';
import '../hud/inspector.css';

/** Values refresh at 4 Hz through refs (no React render), as in the live inspector. */
const REPAINT_MS = 250;

/** Props of ReplayInspector (none: it follows the selection). */
export type ReplayInspectorProps = Record<string, never>;

function closeOnEscape(e: KeyboardEvent): void {
  if (e.key === 'Escape') useSelectionStore.getState().select(null);
}

/**
 * The selected equipment as recorded: state, trends and every signal, read from the replay's twin
 * buffer. Like the live inspector without its command and fault buttons: nothing can be sent to
 * the plant from a replay.
 */
export function ReplayInspector(_: ReplayInspectorProps) {
  const selectedId = useSelectionStore((s) => s.selectedId);
  const layout = usePlantStore((s) => s.layout);
  const buffer = usePlantStore((s) => s.buffer);
  const index = selectedId === null ? undefined : buffer?.indexById.get(selectedId);
  const chipRef = useRef<HTMLSpanElement>(null);

  useEffect(() => {
    if (index === undefined) return;
    window.addEventListener('keydown', closeOnEscape);
    return () => window.removeEventListener('keydown', closeOnEscape);
  }, [index]);

  useRepaint(
    () => {
      if (!buffer || index === undefined || !chipRef.current) return;
      paintStateChip(chipRef.current, MACHINE_STATES[buffer.state[index]] ?? 'offline');
    },
    REPAINT_MS,
    [buffer, index],
  );

  if (!layout || !buffer || index === undefined) return null;
  const spec = layout.equipment[index];
  const zone = layout.zones.find((z) => z.id === spec.zone)?.name ?? spec.zone;
  const defs = signalsOf(spec.kind);
  const trends = trendSignalIndexes(spec.kind);
  return (
    <aside className="panel inspector" data-testid="inspector" aria-label={`Inspector: ${spec.name}`}>
      <header className="inspector__head">
        <div className="inspector__title">
          <h2 className="inspector__name">{spec.name}</h2>
          <span className="inspector__id" data-testid="inspector-id">
            {spec.id}
          </span>
        </div>
        <button
          type="button"
          className="icon-button"
          aria-label="Close inspector"
          title="Close (Esc)"
          onClick={() => useSelectionStore.getState().select(null)}
        >
          ×
        </button>
      </header>
      <dl className="inspector__facts">
        <dt>State</dt>
        <dd>
          <span className="chip" ref={chipRef} data-testid="inspector-state" />
        </dd>
        <dt>Kind</dt>
        <dd>{kindLabel[spec.kind]}</dd>
        <dt>Zone</dt>
        <dd>{zone}</dd>
      </dl>
      <div className="inspector__actions">
        <button
          type="button"
          className="button"
          onClick={() => useSelectionStore.getState().flyToEquipment(spec.id)}
        >
          Fly to
        </button>
      </div>
      {trends.length > 0 && (
        <div className="inspector__trends" key={`${spec.id}`}>
          {trends.map((k, series) => (
            <TrendChart key={defs[k].key} index={index} series={series} def={defs[k]} />
          ))}
        </div>
      )}
      <SignalTable key={spec.id} buffer={buffer} index={index} defs={defs} repaintMs={REPAINT_MS} />
    </aside>
  );
}
