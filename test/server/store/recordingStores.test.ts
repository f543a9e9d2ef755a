import { expect, it } from 'vitest';
import type { AsyncRecordingStore, ChunkRow, NewRecording } from '../../../server/store/api/recordingApi';
import { openPgRecordingStore } from '../../../server/store/pg/pgRecordingStore';
import { openSqliteRecordingStore } from '../../../server/store/sqlite/sqliteRecordingStore';
import { defaultLayout } from '../../helpers/server';
import { describeEngines, storeEnv } from '../../helpers/storeEngines';

const T0 = 1_800_000_000_000;
const env = storeEnv();
const layout = defaultLayout();

/** A fresh store, and `reopen`: the same data through another connection. */
type Opener = () => Promise<{ store: AsyncRecordingStore; reopen: () => Promise<AsyncRecordingStore> }>;

const track = (s: AsyncRecordingStore) => {
  env.onCleanup(() => s.close());
  return s;
};
/** `nul`: how a U+0000 someone typed reads back (PostgreSQL text cannot hold it). */
const engines: { name: 'SQLite' | 'PostgreSQL'; open: Opener; nul: string }[] = [
  {
    name: 'SQLite',
    nul: '\u0000',
    open: async () => {
      const dir = env.sqliteDir();
      const reopen = async () => track(openSqliteRecordingStore(dir));
      return { store: await reopen(), reopen };
    },
  },
  {
    name: 'PostgreSQL',
    nul: '\uFFFD',
    open: async () => {
      const pool = await env.pgPool();
      const reopen = async () => track(await openPgRecordingStore(pool));
      return { store: await reopen(), reopen };
    },
  },
];

const rec = (id: string, over: Partial<NewRecording> = {}): NewRecording => ({
  id,
  kind: 'live',
  sessionId: `session-${id}`,
  seed: 4_294_967_295,
  startedAt: T0,
  layout,
  ...over,
});

/**
 * Chunk `seq` covering sim seconds [seq, seq + 1) and wall ms T0 + seq * 1000 .. + 999; `key`:
 * it starts a keyframe group. Blobs hold every byte value, so a lossy round trip would show.
 */
function chunk(seq: number, key: boolean): ChunkRow {
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + seq) % 256));
  return {
    seq,
    fromTick: seq * 10,
    toTick: seq * 10 + 9,
    fromSimS: seq,
    toSimS: seq + 0.9,
    fromWall: T0 + seq * 1000,
    toWall: T0 + seq * 1000 + 999,
    keyframe: key ? bytes(300) : null,
    state: key ? bytes(50) : null,
    frames: bytes(100),
    events: bytes(20),
  };
}

describeEngines('the recording store on $name', engines, ({ open, nul }) => {
  it('creates recordings once and lists them newest first with their span and size', async () => {
    const { store, reopen } = await open();
    await store.create(rec('a'));
    await store.create(rec('b', { kind: 'training', scenarioId: 'jam-drill', startedAt: T0 + 5000 }));
    await expect(store.create(rec('a'))).rejects.toThrow();
    await store.appendChunk('a', chunk(0, true), []);
    await store.appendChunk('a', chunk(1, false), []);
    await store.end('a', T0 + 9000);
    const other = await reopen();
    const list = await other.list();
    expect(list.map((r) => r.id)).toEqual(['b', 'a']);
    expect(list[1]).toEqual({
      id: 'a',
      kind: 'live',
      sessionId: 'session-a',
      scenarioId: null,
      seed: 4_294_967_295,
      startedAt: T0,
      endedAt: T0 + 9000,
      layout,
      fromSimS: 0,
      toSimS: 1.9,
      bytes: 470 + 120,
    });
    expect(await other.get('b')).toMatchObject({
      kind: 'training',
      scenarioId: 'jam-drill',
      endedAt: null,
      bytes: 0,
    });
    expect(await other.get('nope')).toBeNull();
  });

  it('gives chunks back byte for byte: by seq, by range, at a time, and the group start', async () => {
    const { store } = await open();
    await store.create(rec('a'));
    const cs = [chunk(0, true), chunk(1, false), chunk(2, false), chunk(3, true), chunk(4, false)];
    for (const c of cs) await store.appendChunk('a', c, []);
    expect(await store.chunk('a', 3)).toEqual(cs[3]);
    expect(await store.chunk('a', 9)).toBeNull();
    expect(await store.chunks('a', 1, 3.5)).toEqual(cs.slice(1, 4));
    expect(await store.chunkAt('a', 2.5)).toEqual(cs[2]);
    expect(await store.chunkAt('a', 99)).toEqual(cs[4]);
    expect(await store.chunkAt('a', -1)).toBeNull();
    expect(await store.groupStartAt('a', 2.5)).toBe(0);
    expect(await store.groupStartAt('a', 3)).toBe(3);
    expect(await store.groupStartAt('a', -5)).toBe(0); // before all: the first group
    expect(await store.groupStartAt('nope', 1)).toBeNull();
  });

  it('stores a chunk and its alarm marks together, and refuses them for an unknown recording', async () => {
    const { store } = await open();
    await store.create(rec('a'));
    await store.appendChunk('a', chunk(0, true), [
      { simS: 0.5, alarmId: 'hot@M1', priority: 'high' },
      { simS: 0.2, alarmId: 'jam@C2', priority: 'low' },
    ]);
    expect(await store.marks('a')).toEqual([
      { simS: 0.2, alarmId: 'jam@C2', priority: 'low' },
      { simS: 0.5, alarmId: 'hot@M1', priority: 'high' },
    ]);
    await expect(store.appendChunk('ghost', chunk(0, true), [])).rejects.toThrow();
    // A repeated seq fails the whole append: its marks are not kept either.
    await expect(
      store.appendChunk('a', chunk(0, true), [{ simS: 0.7, alarmId: 'x@Y', priority: 'low' }]),
    ).rejects.toThrow();
    expect(await store.marks('a')).toHaveLength(2);
  });

  it('keeps bookmarks by time then as added, with who made them', async () => {
    const { store } = await open();
    await store.create(rec('a'));
    const b1 = await store.addBookmark('a', 12.5, 'jam starts', T0 + 1, 'ana');
    const b2 = await store.addBookmark('a', 3.25, 'shift change', T0 + 2);
    const b3 = await store.addBookmark('a', 12.5, 'second look', T0 + 3, 'kim');
    expect(b1).toEqual({ id: b1.id, simS: 12.5, label: 'jam starts', createdAt: T0 + 1, user: 'ana' });
    expect(b2.user).toBeNull();
    expect(b3.id).toBeGreaterThan(b1.id);
    expect(await store.bookmarks('a')).toEqual([b2, b1, b3]);
    expect(await store.bookmarks('nope')).toEqual([]);
    await expect(store.addBookmark('ghost', 1, 'x', T0)).rejects.toThrow();
    await store.addBookmark('a', 1, 'odd\u0000label', T0 + 4);
    expect((await store.bookmarks('a'))[0].label).toBe(`odd${nul}label`);
  });

  it('trims whole groups, oldest first, by age and by size, never the newest group', async () => {
    const { store } = await open();
    await store.create(rec('a'));
    const keys = [true, false, true, false, true, false];
    for (const [i, k] of keys.entries())
      await store.appendChunk('a', chunk(i, k), [{ simS: i + 0.5, alarmId: `al${i}`, priority: 'low' }]);
    expect(await store.trim('a', { maxAgeMs: 60_000 }, T0 + 10_000)).toBe(0);
    // Groups end at T0 + 1999, 3999, 5999: ended over 2.5 s before T0 + 6000 is the first only.
    expect(await store.trim('a', { maxAgeMs: 2500 }, T0 + 6000)).toBe(2);
    expect((await store.chunks('a', 0, 99)).map((c) => c.seq)).toEqual([2, 3, 4, 5]);
    expect((await store.marks('a')).map((m) => m.alarmId)).toEqual(['al2', 'al3', 'al4', 'al5']);
    // Each group is 470 + 120 = 590 bytes: keeping at most 1 byte still keeps the newest group.
    expect(await store.trim('a', { maxBytes: 1 }, T0)).toBe(2);
    expect((await store.chunks('a', 0, 99)).map((c) => c.seq)).toEqual([4, 5]);
    expect(await store.get('a')).toMatchObject({ fromSimS: 4, bytes: 590 });
    expect(await store.trim('a', { maxBytes: 1, maxAgeMs: 0 }, T0 + 99_000)).toBe(0);
  });

  it('removes a recording with its chunks, marks and bookmarks, and nothing else', async () => {
    const { store } = await open();
    await store.create(rec('a'));
    await store.create(rec('b'));
    for (const id of ['a', 'b']) {
      await store.appendChunk(id, chunk(0, true), [{ simS: 0.1, alarmId: 'x@Y', priority: 'low' }]);
      await store.addBookmark(id, 0.2, 'mark', T0);
    }
    await store.remove('a');
    expect(await store.get('a')).toBeNull();
    expect(await store.chunk('a', 0)).toBeNull();
    expect(await store.marks('a')).toEqual([]);
    expect(await store.bookmarks('a')).toEqual([]);
    // The id is free again, and the other recording is whole.
    await store.create(rec('a'));
    expect(await store.get('a')).toMatchObject({ bytes: 0 });
    expect(await store.chunk('b', 0)).toEqual(chunk(0, true));
    expect(await store.marks('b')).toHaveLength(1);
    expect(await store.bookmarks('b')).toHaveLength(1);
  });
});
