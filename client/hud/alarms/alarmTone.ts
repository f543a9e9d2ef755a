import type { Alarm, AlarmPriority } from '../../../protocol';
import { useAlarmStore } from '../../state/alarmStore';
import { isUnacked } from './alarmView';

/** localStorage key of the tone toggle. */
export const TONE_KEY = 'plantTwin.alarmTone';

/** Beep pitch per priority, Hz (higher = more urgent), and duration, s. */
const PITCH: Readonly<Record<AlarmPriority, number>> = { critical: 1320, high: 990, medium: 740, low: 520 };
const RANK: Readonly<Record<AlarmPriority, number>> = { critical: 0, high: 1, medium: 2, low: 3 };
const BEEP_S = 0.18;

let ctx: AudioContext | null = null;

/** Whether the audible tone is on (off by default; persisted). */
export function toneEnabled(): boolean {
  try {
    return localStorage.getItem(TONE_KEY) === 'on';
  } catch {
    return false;
  }
}

/** Turns the tone on or off (persisted); turning it on plays a short low-priority beep as a check. */
export function setToneEnabled(on: boolean): void {
  try {
    localStorage.setItem(TONE_KEY, on ? 'on' : 'off');
  } catch {
    // Private mode: the toggle works for this page only.
  }
  if (on) beep('low');
}

/** Plays one short beep at the priority's pitch (WebAudio; silently nothing where unavailable). */
export function beep(priority: AlarmPriority): void {
  try {
    ctx ??= new AudioContext();
    const t = ctx.currentTime;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = PITCH[priority];
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.15, t + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + BEEP_S);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t);
    osc.stop(t + BEEP_S + 0.02);
  } catch {
    // No audio device or autoplay policy: the tone is optional.
  }
}

/**
 * Beeps when a new unacknowledged alarm arrives (one beep per store update, at the most urgent new
 * priority), while the tone is on. Subscribes outside React; returns the unsubscribe.
 */
export function startAlarmTone(): () => void {
  const start = useAlarmStore.getState();
  let unacked = new Set([...start.alarms.values()].filter((a) => isUnacked(a.state)).map((a) => a.id));
  // The first snapshot is what was already there, not news.
  let first = start.alarms.size === 0 && start.seq === 0;
  return useAlarmStore.subscribe((s) => {
    const next = new Set<string>();
    let loudest: AlarmPriority | null = null;
    for (const a of s.alarms.values() as Iterable<Alarm>) {
      if (!isUnacked(a.state)) continue;
      next.add(a.id);
      if (!unacked.has(a.id) && (loudest === null || RANK[a.priority] < RANK[loudest])) loudest = a.priority;
    }
    unacked = next;
    if (first) first = false;
    else if (loudest && toneEnabled()) beep(loudest);
  });
}
