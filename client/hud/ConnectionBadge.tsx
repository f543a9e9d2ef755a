import type { MessageKey } from '../i18n/messages';
import { useT } from '../i18n/useT';
import { type ConnectionStatus, useConnectionStore } from '../state/connectionStore';

const LABEL: Readonly<Record<ConnectionStatus, MessageKey>> = {
  live: 'conn.live',
  connecting: 'conn.connecting',
  reconnecting: 'conn.reconnecting',
  stale: 'conn.stale',
};

/** Props of ConnectionBadge (none: it reads the connection store). */
export type ConnectionBadgeProps = Record<string, never>;

/** Whether the screen shows live data: a dot and a word (never color alone). */
export function ConnectionBadge(_: ConnectionBadgeProps) {
  const { t } = useT();
  const status = useConnectionStore((s) => s.status);
  return (
    <span
      className={`badge badge--${status}`}
      data-testid="connection-status"
      data-status={status}
      role="status"
    >
      <span className="badge__dot" aria-hidden="true" />
      {t(LABEL[status])}
    </span>
  );
}
