import type { MachineState } from '../../../protocol';
import { RateLimiter } from '../../auth/rateLimiter';
import type { VdaState } from './messages';
import type { AgvMap } from './orders';

/** The inbound topics the observer subscribes per AGV. */
export const OBSERVED_TOPICS = ['state', 'visualization', 'connection'] as const;
export type ObservedTopic = (typeof OBSERVED_TOPICS)[number];

/** Why a received position was not applied (the rest of the message still was). */
export type PoseSkip = 'uninitialized' | 'map';

/** One action's status as the AGV last reported it in `state.actionStates`. */
export interface ActionSeen {
  status: string;
  resultDescription?: string;
}

/**
 * What the observer knows of one real AGV between messages: its identity and map, the headerIds
 * seen per topic (gap counting), its token bucket, and what its latest `state` said that commands
 * are confirmed by (paused, orderId, actionStates, a counter of states received).
 */
export class AgvView {
  /** Last headerId per observed topic, -1: unknown (start, restart, or a message lost to a drop). */
  readonly lastHeaderId: Record<ObservedTopic, number> = { state: -1, visualization: -1, connection: -1 };
  /** Next headerId of each topic the twin publishes to this AGV. */
  readonly nextHeaderId = { instantActions: 0, order: 0 };
  readonly limiter: RateLimiter;
  /** Valid `state` messages received (commands wait for one after they were sent). */
  stateSeq = 0;
  paused: boolean | null = null;
  orderId = '';
  actions = new Map<string, ActionSeen>();
  /** Source time of the latest state pushed, ms since epoch (0: none). */
  lastStateSrcMs = 0;
  /** False after an OFFLINE or CONNECTIONBROKEN until its next valid state. */
  online = true;
  /** Protocol version the AGV speaks (its headers' `version`), echoed in what the twin sends. */
  version: string | null = null;
  /** Latest applied plant pose: x, z (m); valid once poseKnown. */
  poseKnown = false;
  x = 0;
  z = 0;
  /** WARNING error types of the latest state (to count new ones only). */
  warnings = new Set<string>();

  constructor(
    readonly eq: number,
    readonly equipment: string,
    readonly manufacturer: string,
    readonly serialNumber: string,
    readonly map: AgvMap,
    maxPerS: number,
    now: () => number,
  ) {
    this.limiter = new RateLimiter(maxPerS, Math.max(1, 2 * maxPerS), now);
  }

  /** Forgets the headerIds seen (the next message of each topic is not judged for a gap). */
  forgetHeaderIds(): void {
    this.lastHeaderId.state = -1;
    this.lastHeaderId.visualization = -1;
    this.lastHeaderId.connection = -1;
  }

  /**
   * Records a topic's headerId; true when messages were missed since the last one (a restart of
   * the counter at 0 and repeats, e.g. a retained message seen again, are not gaps).
   */
  headerGap(topic: ObservedTopic, headerId: number): boolean {
    const last = this.lastHeaderId[topic];
    this.lastHeaderId[topic] = headerId;
    return last >= 0 && headerId > last + 1;
  }
}

/**
 * The machine state a VDA 5050 `state` means: a FATAL error or an emergency stop is a fault; an
 * AGV in a hand-driven or service mode is in maintenance (it is not available to the fleet); a
 * paused AGV is idle; a driving one is running; otherwise idle. WARNING errors change nothing.
 */
export function vdaMachineState(s: VdaState): MachineState {
  if (s.safetyState.eStop !== 'NONE') return 'fault';
  for (const e of s.errors) if (e.errorLevel === 'FATAL') return 'fault';
  if (s.operatingMode === 'MANUAL' || s.operatingMode === 'SERVICE' || s.operatingMode === 'TEACHIN')
    return 'maintenance';
  if (s.paused) return 'idle';
  return s.driving ? 'running' : 'idle';
}

/** ISO 8601 date-time with a time zone, as VDA 5050 headers carry (2026-12-05T08:00:00.000Z). */
const ISO_8601 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:?\d\d)$/;

/** A header timestamp as ms since epoch, or null when it is not ISO 8601 with a zone. */
export function headerTimeMs(ts: string): number | null {
  if (!ISO_8601.test(ts)) return null;
  const ms = Date.parse(ts);
  return Number.isFinite(ms) ? ms : null;
}
