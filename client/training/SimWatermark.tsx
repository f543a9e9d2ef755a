import { useT } from '../i18n/useT';

/** Props of SimWatermark (none). */
export type SimWatermarkProps = Record<string, never>;

/**
 * A discreet frame and word over the 3D view of a training session, so a simulated plant is never
 * taken for the live one. Static DOM, drawn once (no per-frame React); clicks pass through.
 */
export function SimWatermark(_: SimWatermarkProps) {
  const { t } = useT();
  return (
    <div className="sim-watermark" data-testid="sim-watermark" aria-hidden="true">
      <span className="sim-watermark__word">{t('training.watermark')}</span>
    </div>
  );
}
