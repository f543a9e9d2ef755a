import { useState } from 'react';
import { RecordingList } from './RecordingList';
import { ReplayGate } from './ReplayGate';
import { ReplayView } from './ReplayView';
import { parseReplayLocation } from './replayPath';
import './replay.css';

/** Props of ReplayMode (none: it reads the URL once). */
export type ReplayModeProps = Record<string, never>;

/**
 * The replay screens: `/replay` lists the recordings the user may see, `/replay/ID?t=SIMS` plays
 * one from that simulation time. Any logged-in role (the server decides which recordings).
 */
export default function ReplayMode(_: ReplayModeProps) {
  const [where] = useState(() => parseReplayLocation(window.location.pathname, window.location.search));
  return (
    <ReplayGate>
      {(token) =>
        where.id ? (
          <ReplayView key={`${token}:${where.id}`} id={where.id} token={token} startS={where.t} />
        ) : (
          <RecordingList />
        )
      }
    </ReplayGate>
  );
}
