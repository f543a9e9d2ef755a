import { can, pickText } from '../../protocol';
import { useAuthStore } from '../auth/authStore';
import { useT } from '../i18n/useT';
import { usePlantStore } from '../state/plantStore';
import '../replay/replayLink.css';
import { ConnectionBadge } from './ConnectionBadge';
import { formatSpeed } from './format';
import { SimClock } from './SimClock';
import { UserChip } from './UserChip';

/** Props of TopBar (none: it reads the stores). */
export type TopBarProps = Record<string, never>;

/** Plant name, simulation clock and speed, whether the data is live, and who is logged in. */
export function TopBar(_: TopBarProps) {
  const layout = usePlantStore((s) => s.layout);
  const speed = usePlantStore((s) => s.speed);
  // Every logged-in role may replay the live plant (the server lists only what the role may see).
  const loggedIn = useAuthStore((s) => s.role !== null);
  const designer = useAuthStore((s) => can(s.role, 'design:edit'));
  const { t, locale } = useT();
  const name = layout ? pickText(layout.name, layout.names, locale) : t('app.name');
  const site = layout?.site ? pickText(layout.site, layout.siteNames, locale) : null;
  return (
    <header className="topbar panel">
      <span className="topbar__name">{name}</span>
      {site && <span className="topbar__site">{site}</span>}
      <span className="topbar__spacer" />
      <SimClock />
      <span className="topbar__speed figure" title={t('topbar.speedTitle')}>
        {formatSpeed(speed)}
      </span>
      <ConnectionBadge />
      {loggedIn && (
        <a className="topbar__replay" href="/replay" title={t('replay.openTitle')} data-testid="replay-link">
          {t('replay.open')}
        </a>
      )}
      {designer && (
        <a className="topbar__replay" href="/design" title={t('design.openTitle')} data-testid="design-link">
          {t('design.open')}
        </a>
      )}
      <UserChip />
    </header>
  );
}
