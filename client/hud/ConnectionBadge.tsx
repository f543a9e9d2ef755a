import { type ConnectionStatus, useConnectionStore } from '../state/connectionStore';

const LABEL: Readonly<Record<ConnectionStatus, string>> = {
  live: 'Live',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  stale: 'Stale data',
};

/** Props of ConnectionBadge (none: it reads the connection store). */
export type ConnectionBadgeProps = Record<string, never>;

/** Whether the screen shows live data: a dot and a word (never color alone). */
export function ConnectionBadge(_: ConnectionBadgeProps) {
  const status = useConnectionStore((s) => s.status);
  return (
    <span
      className={`badge badge--${status}`}
      data-testid="connection-status"
      data-status={status}
      role="status"
    >
      <span className="badge__dot" aria-hidden="true" />
      {LABEL[status]}
    </span>
  );
}
