import { MARK_QUALITY_MASK, MARK_STAND_IN, QUALITIES, type Quality } from '../../protocol';

/** The worst quality a data mark carries (frame flags bits 3-5, see protocol/codec.ts). */
export function markQuality(mark: number): Quality {
  return QUALITIES[mark & MARK_QUALITY_MASK];
}

/** Whether a data mark says: simulated stand-in for real equipment that no source maps. */
export function isStandIn(mark: number): boolean {
  return (mark & MARK_STAND_IN) !== 0;
}
