import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FencedOut, fencedTransaction } from '../../../server/cluster/fence';
import { migrate } from '../../../server/store/pg/migrate';
import { hasPostgres, startPostgres, type TestPostgres } from '../../helpers/postgres';

describe.skipIf(!hasPostgres)('fenced transactions', () => {
  let server: TestPostgres;
  let pool: pg.Pool;

  /** A write a plant owner would make: one meta row per call. */
  const writeMeta = (key: string, value: string) => async (c: pg.PoolClient) => {
    await c.query('INSERT INTO meta (key, value) VALUES ($1, $2)', [key, value]);
    return key;
  };
  const metaKeys = async () =>
    (await pool.query<{ key: string }>('SELECT key FROM meta ORDER BY key')).rows.map((r) => r.key);
  const ownerRow = async (plant: string) =>
    (await pool.query('SELECT token::int AS token, node FROM plant_owner WHERE plant = $1', [plant])).rows;

  beforeAll(async () => {
    server = await startPostgres();
    pool = new pg.Pool({ connectionString: await server.createDatabase(), max: 6 });
    await migrate(pool);
  });
  beforeEach(async () => {
    await pool.query('TRUNCATE meta, plant_owner');
  });
  afterAll(async () => {
    await pool?.end();
    await server?.stop();
  });

  it('commits a write made with the current token and records that token as the owner', async () => {
    await expect(fencedTransaction(pool, 'p', 1, writeMeta('a', '1'), { node: 'n1' })).resolves.toBe('a');
    await expect(fencedTransaction(pool, 'p', 1, writeMeta('b', '1'), { node: 'n1' })).resolves.toBe('b');
    expect(await metaKeys()).toEqual(['a', 'b']);
    expect(await ownerRow('p')).toEqual([{ token: 1, node: 'n1' }]);
  });

  it('throws FencedOut and writes nothing once a newer token has written', async () => {
    await fencedTransaction(pool, 'p', 1, writeMeta('old-1', 'x'), { node: 'n1' });
    await fencedTransaction(pool, 'p', 2, writeMeta('new-1', 'x'), { node: 'n2' });
    const stale = fencedTransaction(pool, 'p', 1, writeMeta('old-2', 'x'), { node: 'n1' });
    await expect(stale).rejects.toBeInstanceOf(FencedOut);
    await expect(stale).rejects.toThrow(/token 1 is stale \(token 2 has written since\)/);
    expect(await metaKeys()).toEqual(['new-1', 'old-1']);
    expect(await ownerRow('p')).toEqual([{ token: 2, node: 'n2' }]);
  });

  it('fences a stale owner whose write waited behind its successor, and keeps plants apart', async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => {
      open = r;
    });
    let newerInside!: () => void;
    const inside = new Promise<void>((r) => {
      newerInside = r;
    });
    // The successor holds the plant's row lock while it writes...
    const newer = fencedTransaction(pool, 'p', 5, async (c) => {
      newerInside();
      await gate;
      return writeMeta('new', 'x')(c);
    });
    await inside;
    // ...while the stale owner (resumed from a pause) tries to write and has to wait for it.
    const stale = fencedTransaction(pool, 'p', 4, writeMeta('stale', 'x'));
    const otherPlant = fencedTransaction(pool, 'q', 1, writeMeta('other-plant', 'x'));
    await expect(otherPlant).resolves.toBe('other-plant');
    open();
    await expect(newer).resolves.toBe('new');
    await expect(stale).rejects.toBeInstanceOf(FencedOut);
    expect(await metaKeys()).toEqual(['new', 'other-plant']);
  });

  it('rolls back both the write and the token when the write fails', async () => {
    await fencedTransaction(pool, 'p', 1, writeMeta('a', '1'));
    const failing = fencedTransaction(pool, 'p', 2, async (c) => {
      await writeMeta('b', '1')(c);
      throw new Error('disk on fire');
    });
    await expect(failing).rejects.toThrow('disk on fire');
    expect(await metaKeys()).toEqual(['a']);
    expect(await ownerRow('p')).toEqual([{ token: 1, node: '' }]);
    // The old token may still write: nobody newer committed.
    await expect(fencedTransaction(pool, 'p', 1, writeMeta('c', '1'))).resolves.toBe('c');
  });
});
