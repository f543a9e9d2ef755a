import type { Quality } from '../../../protocol';
import { useT } from '../../i18n/useT';
import { QUALITY_GLYPH, qualityLabel } from './dataQualityView';

/** Props of QualityBadge. */
export interface QualityBadgeProps {
  quality: Quality;
  /** A small mark beside a value (shape and name, no frame). */
  compact?: boolean;
  'data-testid'?: string;
}

/**
 * A data quality as shape + name, never color alone: good plain, uncertain with a dashed amber
 * edge, bad and stale hatched gray (the same language as the 3D scene).
 */
export function QualityBadge({ quality, compact = false, 'data-testid': testId }: QualityBadgeProps) {
  const { t, locale } = useT();
  const label = qualityLabel(locale, quality);
  return (
    <span
      className={compact ? 'qbadge qbadge--compact' : 'qbadge'}
      data-quality={quality}
      data-testid={testId}
      title={compact ? t('quality.valueTitle', { quality: label }) : undefined}
    >
      <span className="qbadge__glyph" aria-hidden="true">
        {QUALITY_GLYPH[quality]}
      </span>
      {label}
    </span>
  );
}
