import { useRef } from 'react';
import { type Layout, MACHINE_STATES, signalsOf } from '../../protocol';
import { useConnectionStore } from '../state/connectionStore';
import { useSelectionStore } from '../state/selectionStore';
import type { TwinBuffer } from '../state/twinBuffer';
import { InjectMenu } from '../training/InjectMenu';
import { CommandPanel } from './commands/CommandPanel';
import { kindLabel } from './kindLabel';
import { SignalTable } from './SignalTable';
import { paintStateChip } from './stateChip';
import { TrendChart } from './TrendChart';
import { trendSignalIndexes } from './trendSampler';
import { useRepaint } from './useRepaint';
import './inspector.css';

/** Live values refresh at 4 Hz through refs (no React render). */
export const INSPECTOR_REPAINT_MS = 250;

/** Props of InspectorBody. */
export interface InspectorBodyProps {
  layout: Layout;
  buffer: TwinBuffer;
  /** Equipment index in `layout.equipment` (and in `buffer`). */
  index: number;
  /**
   * A replay's inspector: the recorded values, no command or fault buttons (nothing can be sent to
   * the plant from a replay) and no live-connection dimming (the replay player keeps its own time).
   */
  readOnly?: boolean;
}

/** Identity, live state, trends and every signal of one equipment. */
export function InspectorBody({ layout, buffer, index, readOnly = false }: InspectorBodyProps) {
  const spec = layout.equipment[index];
  const zone = layout.zones.find((z) => z.id === spec.zone)?.name ?? spec.zone;
  const line = spec.line ? (layout.lines.find((l) => l.id === spec.line)?.name ?? spec.line) : null;
  const defs = signalsOf(spec.kind);
  const trends = trendSignalIndexes(spec.kind);
  const rootRef = useRef<HTMLElement>(null);
  const chipRef = useRef<HTMLSpanElement>(null);

  useRepaint(
    () => {
      const state = MACHINE_STATES[buffer.state[index]] ?? 'offline';
      if (chipRef.current) paintStateChip(chipRef.current, state);
      if (readOnly) return;
      // Stale or disconnected data is dimmed, never shown as if live.
      const live = useConnectionStore.getState().status === 'live' && !buffer.isStale(performance.now());
      rootRef.current?.classList.toggle('is-stale', !live);
    },
    INSPECTOR_REPAINT_MS,
    [buffer, index, readOnly],
  );

  return (
    <aside
      className="panel inspector"
      data-testid="inspector"
      ref={rootRef}
      aria-label={`Inspector: ${spec.name}`}
    >
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
        {line && (
          <>
            <dt>Line</dt>
            <dd>{line}</dd>
          </>
        )}
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
      {!readOnly && <CommandPanel spec={spec} layout={layout} />}
      {!readOnly && <InjectMenu spec={spec} />}
      {trends.length > 0 && (
        <div className="inspector__trends">
          {trends.map((k, series) => (
            <TrendChart key={defs[k].key} index={index} series={series} def={defs[k]} />
          ))}
        </div>
      )}
      <SignalTable buffer={buffer} index={index} defs={defs} repaintMs={INSPECTOR_REPAINT_MS} />
    </aside>
  );
}
