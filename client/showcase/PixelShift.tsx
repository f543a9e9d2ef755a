import { type ReactNode, useEffect, useState } from 'react';

/** Props of PixelShift. */
export interface PixelShiftProps {
  children: ReactNode;
  /** Time between moves, ms. */
  periodMs?: number;
}

/** Time between moves, ms (a few minutes: invisible to viewers, enough against burn-in). */
export const PIXEL_SHIFT_MS = 3 * 60 * 1000;
/** Offsets visited in turn, px: a small loop around the home position (at most 4 px away). */
export const SHIFT_OFFSETS: readonly (readonly [number, number])[] = [
  [0, 0],
  [3, 1],
  [4, -2],
  [1, -4],
  [-2, -3],
  [-4, 0],
  [-3, 3],
  [0, 4],
  [2, 2],
];

/** Moves its content by a few pixels every few minutes so static text never burns into the panel. */
export function PixelShift({ children, periodMs = PIXEL_SHIFT_MS }: PixelShiftProps) {
  const [step, setStep] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setStep((s) => (s + 1) % SHIFT_OFFSETS.length), periodMs);
    return () => clearInterval(timer);
  }, [periodMs]);
  const [x, y] = SHIFT_OFFSETS[step];
  return (
    <div
      className="sc-shift"
      data-testid="pixel-shift"
      style={{ transform: `translate3d(${x}px, ${y}px, 0)` }}
    >
      {children}
    </div>
  );
}
