import { useRef } from 'react';
import { type Layout, MACHINE_STATES, pickText, signalsOf } from '../../protocol';
import { lineDisplayName } from '../i18n/codedText';
import { kindKey } from '../i18n/labels';
import { useT } from '../i18n/useT';
import { useConnectionStore } from '../state/connectionStore';
import { useSelectionStore } from '../state/selectionStore';
import type { TwinBuffer } from '../state/twinBuffer';
import { InjectMenu } from '../training/InjectMenu';
import { useTrainingStore } from '../training/trainingStore';
import { CommandPanel } from './commands/CommandPanel';
import { DataQuality } from './inspector/DataQuality';
import { useDataQuality } from './inspector/useDataQuality';
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
  const { t, locale } = useT();
  const spec = layout.equipment[index];
  const name = pickText(spec.name, spec.names, locale);
  const zoneSpec = layout.zones.find((z) => z.id === spec.zone);
  const zone = zoneSpec ? pickText(zoneSpec.name, zoneSpec.names, locale) : spec.zone;
  const line = spec.line ? lineDisplayName(locale, layout, spec.line) : null;
  const defs = signalsOf(spec.kind);
  const trends = trendSignalIndexes(spec.kind);
  const rootRef = useRef<HTMLElement>(null);
  const chipRef = useRef<HTMLSpanElement>(null);
  // Source, quality and times of the live plant's data: not for a replay (recorded values) nor for
  // a training session (its own simulated plant, which the ingest API does not describe).
  const inTraining = useTrainingStore((s) => s.state !== null);
  const liveData = !readOnly && !inTraining;
  const data = useDataQuality(spec.id, buffer, index, locale, liveData);

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
    [buffer, index, readOnly, locale],
  );

  return (
    <aside
      className="panel inspector"
      data-testid="inspector"
      ref={rootRef}
      aria-label={t('inspector.label', { name })}
    >
      <header className="inspector__head">
        <div className="inspector__title">
          <h2 className="inspector__name">{name}</h2>
          <span className="inspector__id" data-testid="inspector-id">
            {spec.id}
          </span>
        </div>
        <button
          type="button"
          className="icon-button"
          aria-label={t('inspector.close')}
          title={t('inspector.closeTitle')}
          onClick={() => useSelectionStore.getState().select(null)}
        >
          ×
        </button>
      </header>
      <dl className="inspector__facts">
        <dt>{t('inspector.state')}</dt>
        <dd>
          <span className="chip" ref={chipRef} data-testid="inspector-state" />
        </dd>
        <dt>{t('inspector.kind')}</dt>
        <dd>{t(kindKey(spec.kind))}</dd>
        <dt>{t('inspector.zone')}</dt>
        <dd>{zone}</dd>
        {line && (
          <>
            <dt>{t('inspector.line')}</dt>
            <dd>{line}</dd>
          </>
        )}
      </dl>
      {liveData && <DataQuality data={data} />}
      <div className="inspector__actions">
        <button
          type="button"
          className="button"
          onClick={() => useSelectionStore.getState().flyToEquipment(spec.id)}
        >
          {t('inspector.flyTo')}
        </button>
      </div>
      {!readOnly && <CommandPanel spec={spec} layout={layout} />}
      {!readOnly && <InjectMenu spec={spec} />}
      {trends.length > 0 && (
        <div className="inspector__trends">
          {trends.map((k, series) => (
            <TrendChart key={defs[k].key} index={index} series={series} def={defs[k]} kind={spec.kind} />
          ))}
        </div>
      )}
      <SignalTable
        buffer={buffer}
        index={index}
        kind={spec.kind}
        defs={defs}
        repaintMs={INSPECTOR_REPAINT_MS}
        marks={liveData ? data.view?.marks : undefined}
      />
    </aside>
  );
}
