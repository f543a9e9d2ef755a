import { type AlarmTemplate, packReplayFrames, type ReplayState, type ReplayWindow } from '../../protocol';
import { type Recordings, refusalOf, summary } from '../recordings';
import { type GuardDeps, guardedOn, type Reply } from './guard';
import { replayFramesSchema, replayOpenSchema, replaySeekSchema } from './replaySchemas';
import type { TwinSocket } from './types';

const noRecordings = (): Reply => ({
  ok: false,
  code: 'NOT_FOUND',
  message: 'this server keeps no recordings',
});

/**
 * Wires the replay view's requests of one socket (live or training) through the request pipeline
 * (plant:watch; training recordings need training:run): `replay:open`, `replay:seek` and
 * `replay:frames` (its frames packed in one binary: see ReplayFramesAnswer). They only read recordings and answer on the requester's ack: nothing reaches
 * any plant's room, nothing changes, nothing is audited.
 */
export function attachReplaySocket(
  socket: TwinSocket,
  recordings: Recordings | null,
  deps: GuardDeps,
  alarmTemplates: Readonly<Record<string, AlarmTemplate>> = {},
): void {
  guardedOn(
    socket,
    'replay:open',
    {
      permission: 'plant:watch',
      schema: replayOpenSchema,
      run: ({ id }, ctx) => {
        if (!recordings) return noRecordings();
        const r = recordings.replay(id, ctx.role);
        if (!r.ok) return r;
        const info = recordings.store.get(id) ?? r.replay.info;
        return {
          ok: true,
          recording: summary(info),
          layout: r.replay.info.layout,
          timeline: r.replay.timeline(),
          // The server's rules today: recorded alarms carry their rule id and params, not the template.
          alarmTemplates: { ...alarmTemplates },
        };
      },
    },
    deps,
  );
  guardedOn(
    socket,
    'replay:seek',
    {
      permission: 'plant:watch',
      schema: replaySeekSchema,
      run: ({ id, simS }, ctx) => {
        if (!recordings) return noRecordings();
        const r = recordings.replay(id, ctx.role);
        if (!r.ok) return r;
        let state: ReplayState;
        try {
          state = r.replay.stateAt(simS);
        } catch (err) {
          return refusalOf(err);
        }
        return { ok: true, state };
      },
    },
    deps,
  );
  guardedOn(
    socket,
    'replay:frames',
    {
      permission: 'plant:watch',
      schema: replayFramesSchema,
      run: ({ id, fromS, toS }, ctx) => {
        if (!recordings) return noRecordings();
        const r = recordings.replay(id, ctx.role);
        if (!r.ok) return r;
        let w: ReplayWindow;
        try {
          w = recordings.window(r.replay, fromS, toS);
        } catch (err) {
          return refusalOf(err);
        }
        return { ok: true, ...packReplayFrames(w.frames), items: w.items };
      },
    },
    deps,
  );
}
