import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { STATE_CODE } from '../../protocol';
import { AlarmBook } from '../../server/alarms/alarmBook';
import { compileRules } from '../../server/alarms/compile';
import { parseRules } from '../../server/alarms/ruleSchema';
import { openAuth } from '../../server/auth/authService';
import { createWorld } from '../../server/sim';
import { openAlarmStore } from '../../server/store/alarmStore';
import { openDesignStore } from '../../server/store/designStore';
import { openPublishStore } from '../../server/store/publishStore';
import { openRecordingStore } from '../../server/store/recordingStore';
import { defaultLayout, tempDataDir } from './server';

/** The password every fixture user has. */
export const FIXTURE_PASSWORD = 'fixture-password-1';
/** Wall clock of the fixture, ms since epoch. */
const T0 = 1_700_000_000_000;

const RULES = parseRules({
  rules: [
    {
      id: 'fault',
      kind: 'conveyor',
      type: 'state',
      states: ['fault'],
      priority: 'high',
      message: '{name} fault',
    },
  ],
});

/**
 * A data directory as a server leaves it, written by the real stores: two users (one session
 * each, from a real login) and their audit entries, two alarms raised and one acknowledged, a
 * recording with one chunk, an alarm mark and a bookmark. Every store is closed on return.
 */
export async function makePlantDataDir(dir = tempDataDir()): Promise<string> {
  let now = T0;
  const auth = openAuth({ dataDir: dir, now: () => now, scryptLogN: 10 });
  try {
    const by = { user: 'cli', role: null, source: 'cli' };
    await auth.addUser('Ada', 'admin', FIXTURE_PASSWORD, by);
    await auth.addUser('op1', 'operator', FIXTURE_PASSWORD, by);
    now += 1000;
    await auth.login('Ada', FIXTURE_PASSWORD, '127.0.0.1');
    await auth.login('op1', FIXTURE_PASSWORD, '127.0.0.1');
    // A refused login is audited too.
    await auth.login('op1', 'wrong-password', '127.0.0.1');
  } finally {
    auth.close();
  }

  const layout = defaultLayout();
  if (!RULES.ok) throw new Error(RULES.errors.join('\n'));
  const compiled = compileRules(RULES.rules, layout);
  if (!compiled.ok) throw new Error(compiled.errors.join('\n'));
  const alarms = openAlarmStore(dir);
  try {
    const book = new AlarmBook(compiled.compiled, alarms, layout);
    const world = createWorld(layout, 1, { faults: false });
    const eq = (id: string) => world.equipment.find((e) => e.id === id) as (typeof world.equipment)[number];
    eq('L1-C2').state = STATE_CODE.fault;
    eq('L1-C3').state = STATE_CODE.fault;
    book.tick(world.equipment, 0.1, T0 + 2000, true);
    book.ack(['fault@L1-C2'], 'Ada', T0 + 3000);
  } finally {
    alarms.close();
  }

  const recordings = openRecordingStore(dir);
  try {
    recordings.create({ id: 'rec-1', kind: 'live', sessionId: 'live', seed: 7, startedAt: T0, layout });
    recordings.appendChunk(
      'rec-1',
      {
        seq: 0,
        fromTick: 0,
        toTick: 9,
        fromSimS: 0,
        toSimS: 1,
        fromWall: T0,
        toWall: T0 + 1000,
        keyframe: Buffer.from([1, 2, 3, 0, 255]),
        state: Buffer.from('{"kpis":{}}'),
        frames: Buffer.alloc(4096, 7),
        events: Buffer.from([0]),
      },
      [{ simS: 0.1, alarmId: 'fault@L1-C2', priority: 'high' }],
    );
    recordings.addBookmark('rec-1', 0.5, 'conveyor jam starts', T0 + 4000, 'Ada');
    recordings.end('rec-1', T0 + 5000);
  } finally {
    recordings.close();
  }
  // An engineer's draft of the live layout, with one saved version.
  const designs = openDesignStore(dir);
  try {
    designs.create({
      id: 'd-0000000000a1',
      name: 'Line 2 rebalance',
      createdBy: 'eng1',
      createdAt: T0 + 6000,
      basedOn: 'live',
      layoutJson: JSON.stringify(defaultLayout()),
    });
    designs.addVersion({
      id: 'v-0000000000b1',
      designId: 'd-0000000000a1',
      message: 'as it is today',
      author: 'eng1',
      createdAt: T0 + 7000,
    });
  } finally {
    designs.close();
  }
  // That version published to the live plant by an admin.
  const publications = openPublishStore(dir);
  try {
    publications.add({
      versionId: 'v-0000000000b1',
      designId: 'd-0000000000a1',
      message: 'as it is today',
      publishedBy: 'admin1',
      publishedAt: T0 + 8000,
      rollback: false,
    });
  } finally {
    publications.close();
  }
  return dir;
}

/** Every file under `dir` with the sha256 of its bytes (sorted by name), to prove nothing changed. */
export function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p, `${prefix}${name}/`);
      else out[`${prefix}${name}`] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir, '');
  return out;
}
