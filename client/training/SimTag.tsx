import { useT } from '../i18n/useT';

/** Props of SimTag. */
export interface SimTagProps {
  /** Extra class (placement in its row). */
  className?: string;
}

/** The "SIM" tag on anything a training scenario or a trainer caused. */
export function SimTag({ className }: SimTagProps) {
  const { t } = useT();
  return (
    <span
      className={`sim-tag${className ? ` ${className}` : ''}`}
      title={t('training.simTitle')}
      data-testid="sim-tag"
    >
      {t('training.sim')}
    </span>
  );
}
