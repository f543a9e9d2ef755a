import { alarmCounts, useAlarmStore } from './alarmStore';
import { useConnectionStore } from './connectionStore';
import { currentBuffer } from './plantStore';

/** Frames kept for the frame-time percentiles. */
const FRAME_WINDOW = 600;

/**
 * Counters behind `window.__twin`, written by the parts that know them: the scene (frames, draw
 * calls, frame time, screenPosition), the network layer (telemetry frames) and the React profiler
 * (commits). Plain mutable numbers: no React, no allocation when written.
 */
export const diagnostics = {
  frames: 0,
  telemetryFrames: 0,
  reactCommits: 0,
  drawCalls: 0,
  triangles: 0,
  /** Ring of main-thread ms per rendered frame. */
  frameMs: new Float32Array(FRAME_WINDOW),
  frameMsCount: 0,
  /** Set by the scene: CSS-pixel center of an equipment in the viewport, or null. */
  screenPosition: (_id: string): { x: number; y: number } | null => null,
  /** Set by the scene: the 3D alarm markers now shown (allocates; tests only). */
  alarmMarkers: (): AlarmMarkerView[] => [],
  /** Set by the scene: ids of the equipment now carrying a 3D "SIM" tag (training; allocates; tests only). */
  simMarkers: (): string[] => [],
  /**
   * Set by the scene: equipment drawn with a data mark (quality not good, or a simulated stand-in
   * with its "Simulated" badge), as the scene last drew them (allocates; tests only).
   */
  dataMarks: (): DataMarkView[] => [],
  /** Set by the showcase: the tour's current viewpoint and its position in the tour, or null. */
  tour: (): { viewpoint: string; index: number } | null => null,
  /** Set by the showcase scene: renderer.info.memory (live GPU geometries, textures, programs), or null. */
  rendererMemory: (): { geometries: number; textures: number; programs: number } | null => null,
  /**
   * Copies of each uploaded model drawn at each level of detail (model id -> counts per level, as
   * last drawn); written by the scene.
   */
  modelLods: new Map<string, Int32Array>(),
  /** Set by the scene: the uploaded models of the plant and how they are drawn (allocates; tests only). */
  models: (): ModelDrawView[] => [],
  /** Draw every model copy at this level of detail, or null: by camera distance (tests and benchmarks). */
  modelLodPin: null as number | null,
  /** Set by the scene: the zone labels painted on the floor, or null (reads pixels back; tests only). */
  zoneLabels: (): ZoneLabelsView | null => null,
};

/** One piece of equipment drawn with a data mark, as `window.__twin.dataMarks()` reports it. */
export interface DataMarkView {
  equipmentId: string;
  /** Worst quality of its values (good, uncertain, bad, stale). */
  quality: string;
  /** Simulated stand-in for real equipment (ghosted, with a "Simulated" badge). */
  standIn: boolean;
}

/** An uploaded model in the plant, as `window.__twin.models()` reports it. */
export interface ModelDrawView {
  id: string;
  name: string;
  /** Equipment ids it draws (empty for the building shell). */
  equipment: string[];
  shell: boolean;
  /** loaded: drawn; loading: still fetched; failed: the built-in look is drawn instead. */
  status: 'loaded' | 'loading' | 'failed';
  /** Copies drawn at each level of detail, as last drawn (empty when not drawn). */
  lods: number[];
  /** The model is articulated (robot joints mapped and found). */
  articulated: boolean;
}

/** The zone labels on the floor, as `window.__twin.zoneLabels()` reports them. */
export interface ZoneLabelsView {
  /** Language of the names painted. */
  locale: string;
  /** The canvas font they were painted in. */
  font: string;
  /** Every face the names need was loaded before they were painted (false: a fallback face). */
  fontLoaded: boolean;
  /** One per zone: the text painted and how many of its atlas pixels are inked. */
  labels: { zone: string; text: string; inkPx: number }[];
}

/** One 3D alarm marker, as `window.__twin.alarmMarkers()` reports it. */
export interface AlarmMarkerView {
  equipmentId: string;
  /** Alarm shown (the equipment's highest-priority alarm) and its priority. */
  alarmId: string;
  priority: string;
  /** The marker's shape (one per priority: triangle, diamond, square, circle). */
  shape: string;
  /** Blinking while any of the equipment's alarms is unacknowledged. */
  blinking: boolean;
  /** CSS-pixel position of the marker in the viewport, or null when off screen. */
  screen: { x: number; y: number } | null;
}

/** Records one rendered frame's main-thread time, ms. */
export function recordFrameMs(ms: number): void {
  diagnostics.frameMs[diagnostics.frameMsCount % FRAME_WINDOW] = ms;
  diagnostics.frameMsCount++;
  diagnostics.frames++;
}

function percentile(sorted: Float32Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** The object returned by `window.__twin.stats()`. */
export interface TwinStats {
  equipment: number;
  drawCalls: number;
  triangles: number;
  frames: number;
  telemetryFrames: number;
  reactCommits: number;
  frameMs: { p50: number; p95: number };
  connected: boolean;
  /** active: alarms whose condition is true or whose state is (un)acknowledged; unacknowledged: incl. rtn-unacknowledged. */
  alarms: { active: number; unacknowledged: number };
  /** Showcase tour position (null elsewhere). */
  tour: { viewpoint: string; index: number } | null;
  /** Used JS heap, MB (performance.memory, Chromium only), else null. */
  heapMB: number | null;
  /** Renderer memory where the scene reports it (showcase), else null. */
  memory: { geometries: number; textures: number; programs: number } | null;
}

/** Used JS heap in MB where the browser reports it (Chromium's non-standard performance.memory). */
function heapMB(): number | null {
  const m = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
  return m ? Math.round((m.usedJSHeapSize / 1048576) * 10) / 10 : null;
}

/** Snapshot of the diagnostics (allocates; for tests and kiosk monitoring, not for the frame loop). */
export function stats(): TwinStats {
  const n = Math.min(diagnostics.frameMsCount, FRAME_WINDOW);
  const sorted = diagnostics.frameMs.slice(0, n).sort();
  const status = useConnectionStore.getState().status;
  return {
    equipment: currentBuffer()?.count ?? 0,
    drawCalls: diagnostics.drawCalls,
    triangles: diagnostics.triangles,
    frames: diagnostics.frames,
    telemetryFrames: diagnostics.telemetryFrames,
    reactCommits: diagnostics.reactCommits,
    frameMs: { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) },
    connected: status === 'live' || status === 'stale',
    alarms: alarmCounts(useAlarmStore.getState().alarms),
    tour: diagnostics.tour(),
    heapMB: heapMB(),
    memory: diagnostics.rendererMemory(),
  };
}

/** The last `count` frame times, ms, oldest first (at most the window kept); for windowed benchmarks. */
export function recentFrameMs(count: number): number[] {
  const n = Math.min(Math.max(0, Math.floor(count)), diagnostics.frameMsCount, FRAME_WINDOW);
  const out: number[] = [];
  for (let i = diagnostics.frameMsCount - n; i < diagnostics.frameMsCount; i++)
    out.push(diagnostics.frameMs[i % FRAME_WINDOW]);
  return out;
}

declare global {
  interface Window {
    /** Read-only diagnostics for tests and kiosk monitoring. */
    __twin?: {
      stats: () => TwinStats;
      screenPosition: (id: string) => { x: number; y: number } | null;
      alarmMarkers: () => AlarmMarkerView[];
      simMarkers: () => string[];
      dataMarks: () => DataMarkView[];
      recentFrameMs: (count: number) => number[];
      zoneLabels: () => ZoneLabelsView | null;
      models: () => ModelDrawView[];
      pinModelLod: (level: number | null) => void;
    };
  }
}

/** Installs `window.__twin` (read-only). */
export function installDiagnostics(): void {
  Object.defineProperty(window, '__twin', {
    value: Object.freeze({
      stats,
      screenPosition: (id: string) => diagnostics.screenPosition(id),
      alarmMarkers: () => diagnostics.alarmMarkers(),
      simMarkers: () => diagnostics.simMarkers(),
      dataMarks: () => diagnostics.dataMarks(),
      recentFrameMs,
      zoneLabels: () => diagnostics.zoneLabels(),
      models: () => diagnostics.models(),
      // A test and benchmark knob, not data: fixes every model copy at one level (null: by distance).
      pinModelLod: (level: number | null) => {
        diagnostics.modelLodPin = level === null ? null : Math.max(0, Math.floor(Number(level)) || 0);
      },
    }),
    writable: false,
    configurable: true,
  });
}
