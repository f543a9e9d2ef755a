import { describe, expect, it } from 'vitest';
import type { WhatIfAnswer } from '../../../protocol';
import { addUserTo, loginAt, startMain } from '../../helpers/mainProcess';
import { tempDataDir } from '../../helpers/server';

describe('what-if in the built server', () => {
  it('runs a what-if from `node dist/server/main.js`, its worker beside it in the bundle', async () => {
    const dataDir = tempDataDir();
    const password = await addUserTo(dataDir, 'eng1', 'engineer');
    const main = await startMain(dataDir);
    const token = await loginAt(main.url, 'eng1', password);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`${main.url}/api/designs`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'bundle' }),
    });
    const { design } = (await created.json()) as { design: { id: string } };
    const res = await fetch(`${main.url}/api/designs/${design.id}/whatif`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ hours: 0.05, seed: 1 }),
    });
    const body = (await res.json()) as WhatIfAnswer;
    expect(res.status, JSON.stringify(body).slice(0, 300)).toBe(200);
    expect(body).toMatchObject({ ok: true, hours: 0.05, seed: 1 });
    expect(JSON.stringify(body.draft)).toBe(JSON.stringify(body.live));
  });
});
