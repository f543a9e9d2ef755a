import type { AlarmTransition } from '../../protocol';
import type { PlantSession } from './plantSession';

/**
 * Called after the live plant was replaced: the new session, the one it replaced, and the alarm
 * transitions the switch made (alarms of equipment that left, returned to normal; persisted).
 */
export type LiveSwitchListener = (
  next: PlantSession,
  prev: PlantSession,
  ended: readonly AlarmTransition[],
) => void;

/**
 * The live plant now. Publishing a design version replaces the live PlantSession while the server
 * runs, so nothing may keep the session (or its world or alarms): the app, the socket handlers and
 * the HTTP routes ask `session` on every use, as training hosts ask `plant()`.
 */
export class LivePlantHolder {
  private current: PlantSession;
  private readonly listeners: LiveSwitchListener[] = [];

  constructor(initial: PlantSession) {
    this.current = initial;
  }

  /** The live plant now (replaced by a publish or a rollback). */
  get session(): PlantSession {
    return this.current;
  }

  /** Runs `listener` after every switch, in the order they were added. */
  onSwitch(listener: LiveSwitchListener): void {
    this.listeners.push(listener);
  }

  /**
   * Makes `next` the live plant at once (between two ticks: the loop and every request run on this
   * one thread), then tells the listeners (clients, recording).
   */
  switchTo(next: PlantSession, ended: readonly AlarmTransition[] = []): void {
    const prev = this.current;
    this.current = next;
    for (const l of this.listeners) l(next, prev, ended);
  }
}
