import { usePlantStore } from '../state/plantStore';
import { ConnectionBadge } from './ConnectionBadge';
import { formatSpeed } from './format';
import { SimClock } from './SimClock';
import { UserChip } from './UserChip';

/** Props of TopBar (none: it reads the stores). */
export type TopBarProps = Record<string, never>;

/** Plant name, simulation clock and speed, whether the data is live, and who is logged in. */
export function TopBar(_: TopBarProps) {
  const name = usePlantStore((s) => s.layout?.name ?? null);
  const site = usePlantStore((s) => s.layout?.site ?? null);
  const speed = usePlantStore((s) => s.speed);
  return (
    <header className="topbar panel">
      <span className="topbar__name">{name ?? 'Plant Twin'}</span>
      {site && <span className="topbar__site">{site}</span>}
      <span className="topbar__spacer" />
      <SimClock />
      <span className="topbar__speed figure" title="Simulation speed">
        {formatSpeed(speed)}
      </span>
      <ConnectionBadge />
      <UserChip />
    </header>
  );
}
