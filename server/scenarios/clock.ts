/** A duration or sim time in seconds as a debrief reads it: "45 s", "2 min", "1 min 30 s" (whole seconds). */
export function clock(seconds: number): string {
  const t = Math.round(seconds);
  const m = Math.floor(t / 60);
  const s = t - 60 * m;
  return m === 0 ? `${s} s` : s === 0 ? `${m} min` : `${m} min ${s} s`;
}
