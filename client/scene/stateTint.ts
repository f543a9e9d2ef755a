import { Color } from 'three';
import { MACHINE_STATES, STATE_CODE } from '../../protocol';
import { stateColor } from '../theme';
import { flushPart, type Part } from './instancedPart';

/** Linear RGB per state code for body parts (ISA-101: gray unless abnormal), 3 floats each. */
export const BODY_RGB = new Float32Array(MACHINE_STATES.length * 3);
/** Multiplier per state code for trim parts: they keep their tones and only dim when offline. */
export const TRIM_GAIN = new Float32Array(MACHINE_STATES.length).fill(1);

{
  const c = new Color();
  MACHINE_STATES.forEach((s, i) => {
    c.set(stateColor[s]);
    BODY_RGB[i * 3] = c.r;
    BODY_RGB[i * 3 + 1] = c.g;
    BODY_RGB[i * 3 + 2] = c.b;
  });
  TRIM_GAIN[STATE_CODE.offline] = 0.45; // dark and dimmed: never looks live
}

/**
 * Data mark that hides an instance (the shader discards it): equipment drawn by an uploaded model
 * instead of its built-in parts. Above every MARK_* code (0..7).
 */
export const MARK_HIDDEN = 8;

/** Equipment drawn by an uploaded model: 1 per equipment index (scene-wide, set by PlantModels). */
export interface ModelMask {
  mask: Uint8Array;
  /** Bumped at each change (readers that write once, such as pick boxes, redo their work). */
  version: number;
}

/** Sentinel "no state written yet" (state codes are 0..6). */
const NONE = 255;

/**
 * Colors a kind's parts from machine states, touching only instances whose state changed since the
 * last call (tracked per slot), and uploading only that span. Also writes each instance's data mark
 * (`aMark`, see qualityMaterial.ts) when it changes, so stale or stand-in data is drawn as such,
 * and equipment in `hide` (drawn by an uploaded model) not at all. No allocation.
 */
export class StateTinter {
  private readonly last: Uint8Array;
  private readonly lastMark: Uint8Array;

  constructor(
    private readonly indices: Int32Array,
    private readonly parts: readonly Part[],
    private readonly hide: ModelMask | null = null,
  ) {
    this.last = new Uint8Array(indices.length).fill(NONE);
    this.lastMark = new Uint8Array(indices.length).fill(NONE);
  }

  /**
   * Re-colors changed slots from `state` (the twin buffer's state bytes) and re-marks those whose
   * `mark` (the buffer's data marks) changed; returns how many slots changed.
   */
  update(state: Uint8Array, mark?: Uint8Array): number {
    let changed = 0;
    const idx = this.indices;
    for (let k = 0; k < idx.length; k++) {
      const s = state[idx[k]];
      const m = this.hide?.mask[idx[k]] ? MARK_HIDDEN : mark ? mark[idx[k]] : 0;
      const stateChanged = s !== this.last[k];
      const markChanged = m !== this.lastMark[k];
      if (!stateChanged && !markChanged) continue;
      changed++;
      if (stateChanged) {
        this.last[k] = s;
        for (let p = 0; p < this.parts.length; p++) this.paint(this.parts[p], k, s);
      }
      if (markChanged) {
        this.lastMark[k] = m;
        for (let p = 0; p < this.parts.length; p++) this.markSlot(this.parts[p], k, m);
      }
    }
    return changed;
  }

  /** Schedules the upload of every part's pending matrix/color changes (no allocation). */
  flush(): void {
    for (let p = 0; p < this.parts.length; p++) flushPart(this.parts[p]);
  }

  /** Forgets what was written (next update repaints everything). */
  reset(): void {
    this.last.fill(NONE);
    this.lastMark.fill(NONE);
  }

  private markSlot(part: Part, k: number, m: number): void {
    const a = part.markAttr.array as Float32Array;
    const from = part.first ? part.first[k] : k;
    const to = part.first ? part.first[k + 1] : k + 1;
    if (to <= from) return;
    a.fill(m, from, to);
    part.marks.addSpan(from, to - 1);
  }

  private paint(part: Part, k: number, s: number): void {
    if (part.tint === 'none' || !part.mesh.instanceColor) return;
    const a = part.mesh.instanceColor.array;
    const from = part.first ? part.first[k] : k;
    const to = part.first ? part.first[k + 1] : k + 1;
    if (to <= from) return;
    let r: number;
    let g: number;
    let b: number;
    if (part.tint === 'body') {
      r = BODY_RGB[s * 3];
      g = BODY_RGB[s * 3 + 1];
      b = BODY_RGB[s * 3 + 2];
    } else {
      r = g = b = TRIM_GAIN[s];
    }
    for (let i = from; i < to; i++) {
      a[i * 3] = r;
      a[i * 3 + 1] = g;
      a[i * 3 + 2] = b;
    }
    part.colors.addSpan(from, to - 1);
  }
}
