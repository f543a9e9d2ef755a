import { PerformanceMonitor } from '@react-three/drei';
import { useThree } from '@react-three/fiber';
import { useRef } from 'react';

/** Props of AdaptiveQuality. */
export type AdaptiveQualityProps = {
  /** Off: the resolution stays at the maximum (screenshots). */
  enabled: boolean;
};

/** Device pixel ratio bounds: full sharpness on a good GPU, never below 0.6 on a weak one. */
const MAX_DPR = 1.5;
const MIN_DPR = 0.6;

/**
 * Adaptive resolution: drei's PerformanceMonitor watches the frame rate; when it declines the DPR
 * is lowered step by step, when it recovers the DPR goes back up. After repeated flip-flops the
 * monitor settles on the lower quality instead of oscillating.
 */
export function AdaptiveQuality({ enabled }: AdaptiveQualityProps) {
  const setDpr = useThree((s) => s.setDpr);
  const device = Math.min(window.devicePixelRatio || 1, MAX_DPR);
  const current = useRef(device);
  if (!enabled) return null;
  const apply = (factor: number) => {
    const dpr = Math.round((MIN_DPR + (device - MIN_DPR) * factor) * 10) / 10;
    if (dpr === current.current) return;
    current.current = dpr;
    setDpr(dpr);
  };
  return (
    <PerformanceMonitor
      factor={1}
      flipflops={4}
      onChange={({ factor }) => apply(factor)}
      onFallback={() => apply(0)}
    />
  );
}
