import { useT } from '../i18n/useT';
import { useConnectionStore } from '../state/connectionStore';

/** Props of ReconnectBadge (none). */
export type ReconnectBadgeProps = Record<string, never>;

/**
 * A discreet pill while the data is not live (never an error page): the scene keeps showing the
 * last state, dimmed. When live it shrinks to a small "Live" dot.
 */
export function ReconnectBadge(_: ReconnectBadgeProps) {
  const { t } = useT();
  const status = useConnectionStore((s) => s.status);
  const text =
    status === 'live'
      ? t('showcase.live')
      : status === 'connecting'
        ? t('showcase.connecting')
        : status === 'stale'
          ? t('showcase.waiting')
          : t('showcase.reconnecting');
  return (
    <div
      className={`sc-status sc-status--${status}`}
      data-testid="showcase-connection"
      data-status={status}
      role="status"
    >
      <span className="sc-status__dot" aria-hidden="true" />
      {text}
    </div>
  );
}
