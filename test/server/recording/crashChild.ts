/**
 * Run by worker.test.ts as its own process (node --import tsx): records the default plant into
 * argv[2], flushes at tick 400 (writing what was live then to argv[2]/live.json), records on
 * without flushing, then dies by SIGKILL: no close, no exit handlers.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Recorder } from '../../../server/recording/recorder';
import { PlantSession } from '../../../server/session/plantSession';
import { SIM_DT_S } from '../../../server/sim/types';
import { openRecordingStore } from '../../../server/store/recordingStore';
import { defaultLayout } from '../../helpers/server';

const dir = process.argv[2];
const store = openRecordingStore(dir);
const session = new PlantSession(defaultLayout(), { seed: 21, speed: 1, startMs: 0 });
let wall = 0;
const rec = new Recorder(store, session, {
  id: 'crash',
  kind: 'live',
  sessionId: 'live',
  seed: 21,
  keyframeEveryS: 20,
  chunkFrames: 100,
  now: () => wall,
});
for (let i = 1; i <= 480; i++) {
  wall += 100;
  rec.onTick(session.advance(SIM_DT_S, wall), session);
  if (i === 400) {
    await rec.flush();
    const snap = session.snapshot();
    writeFileSync(
      join(dir, 'live.json'),
      JSON.stringify({
        simS: snap.simTimeS,
        tick: snap.tick,
        keyframe: Buffer.from(snap.keyframe).toString('base64'),
        inWorker: rec.inWorker,
      }),
    );
  }
}
process.kill(process.pid, 'SIGKILL');
