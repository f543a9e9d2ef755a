import type { AlarmTransition } from '../../protocol';
import type { LivePlantHolder } from '../session/livePlant';
import type { PlantSession } from '../session/plantSession';
import type { CommandResult, SimCommand } from '../sim';
import type { Reply, RequestContext } from './guard';

/** Room of the clients watching the live plant. */
export const LIVE_ROOM = 'plant:live';

/**
 * The plant a socket acts on: the live plant, or a training session (which replaces its
 * PlantSession on a restart, so handlers ask for `plant()` on every request, never keep it).
 * The `note*` hooks let a training session record what its participants did; the live plant
 * leaves them out.
 */
export interface PlantHost {
  /** 'live', or the training session's id. */
  readonly id: string;
  /** Socket.IO room of the clients watching this plant. */
  readonly room: string;
  readonly training: boolean;
  /** The plant now. */
  plant(): PlantSession;
  /** Wall time for alarm actions, ms since epoch (a training session's follows its sim time). */
  now(): number;
  /**
   * Alarm transitions a user's request caused between ticks (persisted, simulated ones marked):
   * the one place they reach the plant's recording (and a training session's scoring).
   */
  noteAlarms?(transitions: readonly AlarmTransition[]): void;
  /** A participant's command reached the plant, with the plant's answer. */
  noteCommand?(ctx: RequestContext, cmd: SimCommand, result: CommandResult): void;
  /** A participant's request was answered (accepted or refused). */
  noteRequest?(ctx: RequestContext, event: string, target: string | null, reply: Reply): void;
}

/**
 * The live plant as a host: `plant()` answers the holder's session now (a publish replaces it);
 * `noteAlarms` records users' alarm transitions (the live recording).
 */
export function liveHost(
  holder: LivePlantHolder,
  now: () => number,
  noteAlarms?: (transitions: readonly AlarmTransition[]) => void,
): PlantHost {
  const host: PlantHost = { id: 'live', room: LIVE_ROOM, training: false, plant: () => holder.session, now };
  if (noteAlarms) host.noteAlarms = noteAlarms;
  return host;
}

/** Audit params of a request in `host`: training requests name their session. */
export function withSession(
  host: PlantHost,
  params: Record<string, unknown> | null,
): Record<string, unknown> | null {
  return host.training ? { ...params, session: host.id } : params;
}
