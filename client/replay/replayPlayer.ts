import {
  type Alarm,
  REPLAY_MAX_SPAN_S,
  type ReplayItem,
  type ReplayState,
  type ReplayTimeline,
  type ReplayWindow,
} from '../../protocol';
import { resetTrendHistory } from '../hud/trendSampler';
import { useAlarmStore } from '../state/alarmStore';
import { diagnostics } from '../state/diagnostics';
import { EVENT_HISTORY, usePlantStore } from '../state/plantStore';
import { TwinBuffer } from '../state/twinBuffer';
import {
  clockSimS,
  dueUntil,
  frameSimTimeS,
  nextMark,
  nextWindow,
  type PlaybackClock,
  previousMark,
  reanchor,
} from './playback';
import { foldItems, type ReplayFacts } from './replayFold';
import type { ReplayRequests } from './replaySocket';
import { INITIAL_REPLAY, useReplayStore } from './replayStore';

/** The HUD facts (alarms, events, KPIs, clock) reach React at most this often while playing, ms. */
const UI_EVERY_MS = 250;
/** A growing (live) recording's timeline is re-read this often, ms. */
const TIMELINE_EVERY_MS = 5000;
/** After a failed frame request, wait this long before the next, ms. */
const RETRY_MS = 1000;

/** What the player needs from its surroundings (injected, so a test drives it by hand). */
export interface ReplayPlayerDeps {
  requests: ReplayRequests;
  /** Re-reads the timeline (a growing recording); may be omitted. */
  refreshTimeline?: () => Promise<ReplayTimeline | null>;
  now?: () => number;
  /** Animation frame loop; returns the cancel function. */
  loop?: (fn: () => void) => () => void;
}

function rafLoop(fn: () => void): () => void {
  let id = requestAnimationFrame(function step() {
    fn();
    id = requestAnimationFrame(step);
  });
  return () => cancelAnimationFrame(id);
}

/**
 * Plays one recording into the same stores the live connection feeds: the twin buffer (frames
 * applied at their simulation time against the playback clock, inside an animation-frame loop,
 * never through React), and alarms, events and KPIs as of the playback time (batched to the
 * stores at most 4 times a second). Fetches frames ahead in windows with `replay:frames`.
 */
export class ReplayPlayer {
  private buffer: TwinBuffer | null = null;
  private timeline: ReplayTimeline | null = null;
  private clock: PlaybackClock = { anchorSimS: 0, anchorWallMs: 0, rate: 1, playing: false };
  private facts: ReplayFacts = { alarms: new Map(), events: [], seq: 0, alarmSeq: 0, kpis: null };
  private frames: ArrayBuffer[] = [];
  private times: number[] = [];
  private head = 0;
  private items: ReplayItem[] = [];
  private itemHead = 0;
  private fetchedToS = 0;
  private fetching = false;
  private retryAt = 0;
  /** Bumped by every seek: answers for an older one are dropped. */
  private gen = 0;
  private seeking = false;
  private pendingSeek: number | null = null;
  private factsDirty = false;
  private lastUiAt = Number.NEGATIVE_INFINITY;
  private lastTimelineAt = 0;
  private refreshingTimeline = false;
  private stopLoop: (() => void) | null = null;
  private closed = false;
  private readonly now: () => number;

  constructor(
    readonly id: string,
    private readonly deps: ReplayPlayerDeps,
  ) {
    this.now = deps.now ?? (() => performance.now());
  }

  /** Opens the recording, shows it at `atS` (its start when null) and starts the loop. */
  async open(atS: number | null): Promise<void> {
    useReplayStore.setState({ ...INITIAL_REPLAY });
    const r = await this.deps.requests.open(this.id);
    if (this.closed) return;
    if (!r.ok) {
      useReplayStore.setState({ phase: 'error', error: r.message });
      return;
    }
    this.timeline = r.timeline;
    this.buffer = new TwinBuffer(r.layout);
    this.buffer.setPlaybackRate(this.clock.rate);
    usePlantStore.setState({
      layout: r.layout,
      buffer: this.buffer,
      speed: 1,
      alarmTemplates: r.alarmTemplates ?? usePlantStore.getState().alarmTemplates,
    });
    useReplayStore.setState({ recording: r.recording, timeline: r.timeline });
    this.lastTimelineAt = this.now();
    await this.seek(atS ?? r.timeline.fromSimS);
    if (this.closed) return;
    this.stopLoop = (this.deps.loop ?? rafLoop)(() => this.tick());
  }

  /** Stops everything; answers still on their way are dropped. */
  close(): void {
    this.closed = true;
    this.gen++;
    this.stopLoop?.();
    this.stopLoop = null;
  }

  /** Current playback time, simulation s. */
  get simS(): number {
    const tl = this.timeline;
    return clockSimS(this.clock, this.now(), tl?.fromSimS ?? 0, tl?.toSimS ?? Number.POSITIVE_INFINITY);
  }

  /** Frames fetched but not yet applied (tests). */
  get queued(): number {
    return this.frames.length - this.head;
  }

  /** Shows the state at `simS` (clamped to the recording); playback goes on from there if it was playing. */
  async seek(simS: number): Promise<void> {
    const tl = this.timeline;
    if (!tl) return;
    const t = Math.min(Math.max(simS, tl.fromSimS), tl.toSimS);
    // Dragging the scrubber: one seek at a time, the newest target wins.
    if (this.seeking) {
      this.pendingSeek = t;
      return;
    }
    this.seeking = true;
    const gen = ++this.gen;
    useReplayStore.setState({ waiting: true, simS: t });
    const r = await this.deps.requests.seek({ id: this.id, simS: t });
    this.seeking = false;
    if (this.closed || gen !== this.gen) return;
    if (!r.ok) useReplayStore.setState({ waiting: false, notice: r.message });
    else this.show(r.state, t);
    const next = this.pendingSeek;
    this.pendingSeek = null;
    if (next !== null) await this.seek(next);
  }

  play(): void {
    const tl = this.timeline;
    if (!tl || this.clock.playing) return;
    // At the end of a finished recording, play starts over.
    if (tl.ended && this.simS >= tl.toSimS - 0.05) {
      this.clock = { ...this.clock, playing: true, anchorWallMs: this.now() };
      void this.seek(tl.fromSimS);
    } else this.clock = reanchor(this.clock, this.now(), { playing: true });
    this.publish(true);
  }

  pause(): void {
    if (!this.clock.playing) return;
    this.clock = reanchor(this.clock, this.now(), { playing: false });
    this.publish(true);
  }

  setRate(rate: number): void {
    if (!(rate > 0)) return;
    this.clock = reanchor(this.clock, this.now(), { rate });
    // Poses blend over the wall time between frames at this rate (no steps at 0.25x).
    this.buffer?.setPlaybackRate(rate);
    this.publish(true);
  }

  /** Seeks to the next (+1) or previous (-1) alarm raise; false when there is none. */
  jumpAlarm(direction: 1 | -1): boolean {
    const marks = this.timeline?.alarms ?? [];
    const m = direction > 0 ? nextMark(marks, this.simS) : previousMark(marks, this.simS);
    if (!m) return false;
    void this.seek(m.simS);
    return true;
  }

  /** A newer timeline (bookmark added, the recording grew). */
  setTimeline(tl: ReplayTimeline): void {
    this.timeline = tl;
    useReplayStore.setState({ timeline: tl });
  }

  /** One animation frame: advance the clock, apply due frames and items, fetch ahead, publish. */
  tick(): void {
    const buffer = this.buffer;
    const tl = this.timeline;
    if (!buffer || !tl || this.closed) return;
    const now = this.now();
    let sim = this.simS;
    if (this.clock.playing && !this.seeking) {
      // Caught up with what was fetched: hold the clock there until the next window arrives.
      if (sim > this.fetchedToS && this.fetchedToS < tl.toSimS) {
        this.clock = { ...this.clock, anchorSimS: this.fetchedToS, anchorWallMs: now };
        sim = this.fetchedToS;
      } else if (sim >= tl.toSimS && tl.ended) {
        this.clock = { ...this.clock, anchorSimS: tl.toSimS, anchorWallMs: now, playing: false };
        this.publish(true);
      }
    }
    if (!this.seeking) {
      const end = dueUntil(this.times, this.head, sim);
      for (let i = this.head; i < end; i++) {
        try {
          buffer.applyFrame(this.frames[i], now);
          diagnostics.telemetryFrames++;
        } catch (err) {
          console.warn('replay: dropped a frame that does not fit the layout', err);
        }
      }
      this.head = end;
      const itemEnd = dueUntilItems(this.items, this.itemHead, sim);
      if (itemEnd > this.itemHead) {
        foldItems(this.facts, this.items.slice(this.itemHead, itemEnd), EVENT_HISTORY);
        this.itemHead = itemEnd;
        this.factsDirty = true;
      }
      this.compact();
    }
    // A replay is never stale: what it shows is exactly what was recorded for this instant.
    buffer.lastFrameAt = now;
    this.fetchAhead(sim, tl, now);
    if (!tl.ended && now - this.lastTimelineAt > TIMELINE_EVERY_MS) this.refreshTimeline(now);
    if (now - this.lastUiAt >= UI_EVERY_MS) this.publish(false);
  }

  private show(state: ReplayState, t: number): void {
    const buffer = this.buffer;
    if (!buffer) return;
    buffer.applyKeyframe(state.keyframe, this.now());
    const alarms = new Map<string, Alarm>();
    for (const a of state.alarms) if (a.state !== 'normal') alarms.set(a.id, a);
    this.facts = {
      alarms,
      events: state.events.slice(-EVENT_HISTORY),
      seq: state.seq,
      alarmSeq: state.alarmSeq,
      kpis: state.kpis,
    };
    this.frames = [];
    this.times = [];
    this.head = 0;
    this.items = [];
    this.itemHead = 0;
    // stateAt folded in every frame and item up to t: fetch what comes after it.
    this.fetchedToS = Math.max(t, state.simTimeS);
    this.fetching = false;
    this.retryAt = 0;
    this.clock = { ...this.clock, anchorSimS: this.fetchedToS, anchorWallMs: this.now() };
    // Trends must not join samples from before the jump to those after it.
    resetTrendHistory();
    this.factsDirty = true;
    useReplayStore.setState({ phase: 'ready', waiting: false });
    this.publish(true);
  }

  private fetchAhead(sim: number, tl: ReplayTimeline, now: number): void {
    if (this.fetching || this.seeking || now < this.retryAt) return;
    const w = nextWindow(this.fetchedToS, sim, this.clock.rate, tl.toSimS, REPLAY_MAX_SPAN_S);
    if (!w) return;
    this.fetching = true;
    const gen = this.gen;
    void this.deps.requests.frames({ id: this.id, fromS: w.fromS, toS: w.toS }).then((r) => {
      if (this.closed || gen !== this.gen) return;
      this.fetching = false;
      if (!r.ok) {
        this.retryAt = this.now() + RETRY_MS;
        console.warn(`replay: ${r.message}`);
        return;
      }
      this.append(r, w.toS);
    });
  }

  private append(w: ReplayWindow, toS: number): void {
    for (const f of w.frames) {
      this.frames.push(f);
      this.times.push(frameSimTimeS(f));
    }
    for (const item of w.items) this.items.push(item);
    this.fetchedToS = toS;
  }

  private compact(): void {
    if (this.head > 1024) {
      this.frames.splice(0, this.head);
      this.times.splice(0, this.head);
      this.head = 0;
    }
    if (this.itemHead > 1024) {
      this.items.splice(0, this.itemHead);
      this.itemHead = 0;
    }
  }

  private refreshTimeline(now: number): void {
    const refresh = this.deps.refreshTimeline;
    if (!refresh || this.refreshingTimeline) return;
    this.refreshingTimeline = true;
    this.lastTimelineAt = now;
    void refresh().then((tl) => {
      this.refreshingTimeline = false;
      if (tl && !this.closed) this.setTimeline(tl);
    });
  }

  /** Writes the low-rate facts to the stores (React renders from there). */
  private publish(force: boolean): void {
    const now = this.now();
    this.lastUiAt = now;
    if (this.factsDirty) {
      this.factsDirty = false;
      const f = this.facts;
      usePlantStore.setState({ kpis: f.kpis, events: f.events.slice(), seq: f.seq });
      useAlarmStore.setState({ alarms: new Map(f.alarms), seq: f.alarmSeq });
    }
    const s = useReplayStore.getState();
    const simS = Math.round(this.simS * 10) / 10;
    const { playing, rate } = this.clock;
    if (force || s.simS !== simS || s.playing !== playing || s.rate !== rate)
      useReplayStore.setState({ simS, playing, rate });
  }
}

/** Index one past the last queued item with simulation time ≤ `simS`. */
function dueUntilItems(items: readonly ReplayItem[], head: number, simS: number): number {
  let i = head;
  while (i < items.length && items[i].simS <= simS + 1e-9) i++;
  return i;
}
