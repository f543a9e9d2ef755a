import { afterEach, describe, expect, it } from 'vitest';
import { Recorder } from '../../../server/recording/recorder';
import { Recordings } from '../../../server/recordings';
import { PlantSession } from '../../../server/session/plantSession';
import { SIM_DT_S } from '../../../server/sim/types';
import { openRecordingStore, type RecordingStore } from '../../../server/store/recordingStore';
import { defaultLayout } from '../../helpers/server';

const HOUR = 3_600_000;
const layout = defaultLayout();
const stores: RecordingStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

/** Records `ticks` ticks of a plant into `store` at wall time `wall` (ms), ending it unless `open`. */
function recordAt(store: RecordingStore, id: string, wall: number, ticks: number, open = false): void {
  const session = new PlantSession(layout, { seed: 1, speed: 1 });
  let now = wall;
  const rec = new Recorder(store, session, { id, kind: 'live', sessionId: 'live', seed: 1, now: () => now });
  for (let i = 0; i < ticks; i++) {
    now += 100;
    rec.onTick(session.advance(SIM_DT_S), session);
  }
  if (open) rec.flushSync();
  else rec.closeSync();
}

describe('recording retention', () => {
  it('deletes recordings that ended longer ago than the retention, and keeps the rest', () => {
    const store = openRecordingStore(':memory:');
    stores.push(store);
    const t0 = 1_000_000_000_000;
    recordAt(store, 'old', t0, 50);
    recordAt(store, 'recent', t0 + 20 * HOUR, 50);
    const now = t0 + 30 * HOUR;
    const recs = new Recordings({ store, retentionHours: 24 }, () => now);
    recs.start();
    expect(store.list().map((r) => r.id)).toEqual(['recent']);
    void recs.close();
  });

  it('ends a recording a stopped server left open at its last stored chunk, then applies the retention', () => {
    const store = openRecordingStore(':memory:');
    stores.push(store);
    const t0 = 2_000_000_000_000;
    recordAt(store, 'crashed', t0, 300, true);
    expect(store.get('crashed')!.endedAt).toBeNull();
    const recs = new Recordings({ store, retentionHours: 1 }, () => t0 + 10 * 60_000);
    recs.start();
    const info = store.get('crashed')!;
    expect(info.endedAt).toBe(t0 + 300 * 100);
    const later = new Recordings({ store, retentionHours: 1 }, () => t0 + 2 * HOUR);
    expect(later.sweep()).toBe(1);
    expect(store.get('crashed')).toBeNull();
    void recs.close();
    void later.close();
  });
});
