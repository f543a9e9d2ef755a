/** Where the tour camera is headed: a layout viewpoint or the equipment of an alarm. */
export type TourStop =
  | {
      kind: 'viewpoint' /** position in the tour */;
      step: number /** index into layout.viewpoints */;
      viewpoint: number;
    }
  | { kind: 'alarm'; alarmId: string; equipmentId: string };

/**
 * The tour's schedule, without any camera or clock of its own: each stop lasts one flight plus a
 * dwell (an alarm: one flight plus the hold), then the next viewpoint follows. An alarm
 * interrupts the stop in progress; afterwards the tour resumes with the viewpoint after the one
 * it left.
 */
export class TourController {
  private step = -1;
  private current: TourStop | null = null;
  private startedAt = 0;

  constructor(
    /** Layout viewpoint indices, in tour order. */
    private readonly order: readonly number[],
    private readonly dwellMs: number,
    private readonly flightMs: number,
    private readonly alarmHoldMs: number,
  ) {}

  /** The stop in progress, or null before the first `update`. */
  get stop(): TourStop | null {
    return this.current;
  }

  /** Calls per frame; returns a stop when the camera should start flying to it, else null. */
  update(nowMs: number): TourStop | null {
    if (this.order.length === 0) return null;
    if (this.current === null) return this.advance(nowMs);
    const stay = this.current.kind === 'alarm' ? this.alarmHoldMs : this.dwellMs;
    if (this.current.kind === 'viewpoint' && this.order.length === 1) return null;
    return nowMs - this.startedAt >= this.flightMs + stay ? this.advance(nowMs) : null;
  }

  /** Interrupts the tour to show an alarm's equipment; returns the stop to fly to. */
  showAlarm(alarmId: string, equipmentId: string, nowMs: number): TourStop {
    this.current = { kind: 'alarm', alarmId, equipmentId };
    this.startedAt = nowMs;
    return this.current;
  }

  private advance(nowMs: number): TourStop {
    this.step = (this.step + 1) % this.order.length;
    this.current = { kind: 'viewpoint', step: this.step, viewpoint: this.order[this.step] };
    this.startedAt = nowMs;
    return this.current;
  }
}
