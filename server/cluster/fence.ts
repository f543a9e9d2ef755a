import type { Pool, PoolClient } from 'pg';

/**
 * A write was refused because a newer owner of the plant (a higher lease fencing token) has
 * written already: this node lost the plant, whatever its own clock says. Nothing was written.
 */
export class FencedOut extends Error {
  constructor(
    readonly plant: string,
    readonly token: number,
    readonly currentToken: number,
  ) {
    super(`plant ${plant}: fencing token ${token} is stale (token ${currentToken} has written since)`);
    this.name = 'FencedOut';
  }
}

/**
 * Runs `fn` in one transaction that only commits if `token` is still the newest fencing token
 * that has written for `plant`: the plant_owner row is locked (FOR UPDATE), a higher stored token
 * throws FencedOut before `fn` runs, otherwise our token is stored and `fn` writes. Concurrent
 * fenced transactions for one plant run one after another, so a stale owner resumed from a pause
 * can never commit after its successor has, even if its own clock says it still owns the plant.
 * Any error rolls everything back and is rethrown. `node` and `now` (ms since epoch) only stamp
 * the row.
 */
export async function fencedTransaction<T>(
  pool: Pool,
  plant: string,
  token: number,
  fn: (client: PoolClient) => Promise<T>,
  opts: { node?: string; now?: () => number } = {},
): Promise<T> {
  const node = opts.node ?? '';
  const at = (opts.now ?? Date.now)();
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    try {
      // Makes sure the row exists so that FOR UPDATE has something to lock: two first writers
      // would otherwise both see no row. The loser of that insert race waits here, then reads
      // the winner's token below.
      await client.query(
        'INSERT INTO plant_owner (plant, token, node, at) VALUES ($1, $2, $3, $4) ON CONFLICT (plant) DO NOTHING',
        [plant, token, node, at],
      );
      const row = await client.query<{ token: string }>(
        'SELECT token FROM plant_owner WHERE plant = $1 FOR UPDATE',
        [plant],
      );
      // BIGINT comes back as a string; tokens stay far below 2^53.
      const current = Number(row.rows[0].token);
      if (current > token) throw new FencedOut(plant, token, current);
      await client.query('UPDATE plant_owner SET token = $2, node = $3, at = $4 WHERE plant = $1', [
        plant,
        token,
        node,
        at,
      ]);
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError; // the connection is unusable: do not hand it back to the pool
      });
      throw e;
    }
  } finally {
    client.release(broken);
  }
}
