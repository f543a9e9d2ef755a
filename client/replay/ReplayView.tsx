import { useEffect, useState } from 'react';
import { flushSync } from 'react-dom';
import { useAuthStore } from '../auth/authStore';
import { AuditPanel } from '../hud/audit/AuditPanel';
import { EventTicker } from '../hud/EventTicker';
import { FaultList } from '../hud/FaultList';
import { Inspector } from '../hud/Inspector';
import { KpiPanel } from '../hud/KpiPanel';
import { SceneBoundary } from '../hud/SceneBoundary';
import { handshakeRefusal } from '../net/handshakeRefusal';
import { PlantScene } from '../scene/PlantScene';
import { useConnectionStore } from '../state/connectionStore';
import { resetClientState } from '../state/resetClientState';
import { ReplayAlarmPanel } from './ReplayAlarmPanel';
import { ReplayBar } from './ReplayBar';
import { fetchTimeline } from './replayApi';
import { ReplayPlayer } from './replayPlayer';
import { openReplaySocket, replayRequests } from './replaySocket';
import { INITIAL_REPLAY, useReplayStore } from './replayStore';

/** Props of ReplayView. */
export interface ReplayViewProps {
  /** Recording id. */
  id: string;
  /** The login token for the replay socket. */
  token: string;
  /** Simulation time to open at, s (null: the start). */
  startS: number | null;
}

/**
 * One recording on screen: the 3D plant, KPIs, faults, events, the alarm list as of the playback
 * time and the inspector with trends, all fed by a ReplayPlayer over a socket of its own (the live
 * plant connection is not opened here), under a REPLAY bar with the controls and the timeline.
 */
export function ReplayView({ id, token, startS }: ReplayViewProps) {
  const [player, setPlayer] = useState<ReplayPlayer | null>(null);
  const phase = useReplayStore((s) => s.phase);
  const error = useReplayStore((s) => s.error);

  useEffect(() => {
    const socket = openReplaySocket(token);
    const p = new ReplayPlayer(id, {
      requests: replayRequests(socket),
      refreshTimeline: () => fetchTimeline(id).then((r) => (r.ok ? r.timeline : null)),
    });
    let opened = false;
    const signOut = (message: string, reason: 'ended' | 'refused') =>
      flushSync(() => useAuthStore.getState().signOut({ reason, message }));
    socket.on('connect', () => {
      useConnectionStore.setState({ status: 'live' });
      if (opened) return;
      opened = true;
      void p.open(startS);
    });
    socket.on('disconnect', () => useConnectionStore.setState({ status: 'reconnecting' }));
    socket.on('connect_error', (err) => {
      const refusal = handshakeRefusal(err);
      if (refusal) signOut(refusal.message, refusal.code === 'UNAUTHENTICATED' ? 'ended' : 'refused');
    });
    socket.on('session:ended', (info) =>
      flushSync(() => useAuthStore.getState().signOut({ reason: info.reason, message: info.message })),
    );
    setPlayer(p);
    return () => {
      p.close();
      socket.removeAllListeners();
      socket.disconnect();
      resetClientState();
      useReplayStore.setState({ ...INITIAL_REPLAY });
    };
  }, [id, token, startS]);

  return (
    <div className="app">
      <div className="app__scene">
        <SceneBoundary>
          <PlantScene quality="operator" />
        </SceneBoundary>
      </div>
      <div className="replay-frame" aria-hidden="true" />
      <div className="hud hud--replay" data-testid="replay-view" data-phase={phase}>
        {player && <ReplayBar player={player} id={id} />}
        {phase === 'error' && (
          <div className="replay-notice panel" data-testid="replay-error">
            <strong>{error}</strong>
            <a className="button" href="/replay">
              ←
            </a>
          </div>
        )}
        {phase === 'ready' && (
          <>
            <div className="hud__left">
              <KpiPanel />
              <FaultList />
              <EventTicker />
            </div>
            <ReplayAlarmPanel />
            <Inspector readOnly />
            <AuditPanel />
          </>
        )}
      </div>
    </div>
  );
}
