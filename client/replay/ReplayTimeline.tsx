import { type KeyboardEvent, type PointerEvent, useRef, useState } from 'react';
import type { ReplayTimeline as Timeline } from '../../protocol';
import { formatSimClock } from '../hud/format';
import { useT } from '../i18n/useT';
import { priorityColor } from '../theme';

/** Props of ReplayTimeline. */
export interface ReplayTimelineProps {
  timeline: Timeline;
  /** Playback time, simulation s. */
  simS: number;
  /** Seek (called while dragging too; the player keeps one seek in flight). */
  onSeek: (simS: number) => void;
}

/** Arrow keys move this much, simulation s (with Shift: ten times). */
const KEY_STEP_S = 5;

function pct(t: number, tl: Timeline): string {
  const span = tl.toSimS - tl.fromSimS;
  const f = span > 0 ? (t - tl.fromSimS) / span : 0;
  return `${Math.min(Math.max(f, 0), 1) * 100}%`;
}

/**
 * The scrubber: the recording's extent, a mark per alarm raise in its priority color, a flag per
 * bookmark (click to seek), and the playhead. Drag anywhere on it to seek.
 */
export function ReplayTimeline({ timeline: tl, simS, onSeek }: ReplayTimelineProps) {
  const { t } = useT();
  const track = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<number | null>(null);
  const at = drag ?? simS;

  const timeAt = (clientX: number): number => {
    const r = track.current?.getBoundingClientRect();
    if (!r || r.width <= 0) return simS;
    const f = Math.min(Math.max((clientX - r.left) / r.width, 0), 1);
    return tl.fromSimS + f * (tl.toSimS - tl.fromSimS);
  };
  const down = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    const x = timeAt(e.clientX);
    setDrag(x);
    onSeek(x);
  };
  const move = (e: PointerEvent<HTMLDivElement>) => {
    if (drag === null) return;
    const x = timeAt(e.clientX);
    setDrag(x);
    onSeek(x);
  };
  const up = () => setDrag(null);
  const key = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? KEY_STEP_S * 10 : KEY_STEP_S;
    if (e.key === 'ArrowRight') onSeek(Math.min(tl.toSimS, simS + step));
    else if (e.key === 'ArrowLeft') onSeek(Math.max(tl.fromSimS, simS - step));
    else if (e.key === 'Home') onSeek(tl.fromSimS);
    else if (e.key === 'End') onSeek(tl.toSimS);
    else return;
    e.preventDefault();
  };

  return (
    <div
      className="replay-scrubber"
      ref={track}
      role="slider"
      tabIndex={0}
      aria-label={t('replay.scrubber')}
      aria-valuemin={Math.floor(tl.fromSimS)}
      aria-valuemax={Math.ceil(tl.toSimS)}
      aria-valuenow={Math.round(at)}
      aria-valuetext={formatSimClock(at)}
      data-testid="replay-scrubber"
      onPointerDown={down}
      onPointerMove={move}
      onPointerUp={up}
      onPointerCancel={up}
      onKeyDown={key}
    >
      <div className="replay-scrubber__track">
        <div className="replay-scrubber__played" style={{ width: pct(at, tl) }} />
      </div>
      {tl.alarms.map((m) => (
        <span
          key={`${m.alarmId}@${m.simS}`}
          className="replay-scrubber__alarm"
          style={{
            left: pct(m.simS, tl),
            background: priorityColor[m.priority as keyof typeof priorityColor] ?? priorityColor.low,
          }}
          title={`${formatSimClock(m.simS)} ${m.alarmId}`}
          data-testid="replay-alarm-mark"
        />
      ))}
      {tl.bookmarks.map((b) => (
        <button
          key={b.id}
          type="button"
          className="replay-scrubber__bookmark"
          style={{ left: pct(b.simS, tl) }}
          title={`${formatSimClock(b.simS)} ${b.label}${b.user ? ` (${b.user})` : ''}`}
          data-testid="replay-bookmark"
          onPointerDown={(e) => e.stopPropagation()}
          onClick={() => onSeek(b.simS)}
        >
          <span className="replay-scrubber__flag" aria-hidden="true" />
        </button>
      ))}
      <span className="replay-scrubber__head" style={{ left: pct(at, tl) }} />
    </div>
  );
}
