import { useT } from '../i18n/useT';
import { useCollabStore } from './collabStore';

/** Props of PresenceList (none: it reads the collab store). */
export type PresenceListProps = Record<string, never>;

/** Who else is editing the draft: their names, each with their colour (as in the 3D view). */
export function PresenceList(_: PresenceListProps) {
  const { t } = useT();
  const peers = useCollabStore((s) => s.peers);
  if (!peers.length) return null;
  return (
    <ul className="design-peers" aria-label={t('design.collab.peers')} data-testid="design-peers">
      {peers.map((p) => (
        <li
          key={p.client}
          className="design-peers__peer"
          title={t('design.collab.peerTitle', { name: p.name })}
          style={{ borderColor: p.color }}
        >
          <span className="design-peers__dot" style={{ background: p.color }} aria-hidden="true" />
          {p.name}
        </li>
      ))}
    </ul>
  );
}
