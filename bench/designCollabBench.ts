import { performance } from 'node:perf_hooks';
import { asBytes } from '../protocol';
import { applyLayoutChange, docToLayout } from '../protocol/layoutDoc';
import { joinDraft } from '../test/helpers/collabClient';
import { startTestServer } from '../test/helpers/server';
import { percentile } from './stats';

/** Edit-to-seen target on loopback, ms (p95): a moved machine appears on the other screen at once. */
export const COLLAB_TARGET_MS = 300;
/** Pause between edits, ms: a person dragging and releasing, within the per-socket update rate. */
const EDIT_GAP_MS = 40;

/**
 * Live design editing latency: two real socket.io clients (not browsers) joined to one draft on a
 * real server on loopback, each with its Y.Doc. The first moves a machine `edits` times (an edit
 * as the page makes one: the layout mapped to the next, written into the doc); the time from the
 * edit until the second client's doc holds the new position is measured.
 */
export async function benchDesignCollab(edits = 200) {
  const server = await startTestServer({ security: { requestRate: { perS: 10_000, burst: 10_000 } } });
  try {
    const [t1, t2] = await Promise.all([server.login('engineer'), server.login('admin')]);
    const res = await fetch(`${server.url}/api/designs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t1}` },
      body: JSON.stringify({ name: 'bench' }),
    });
    const id = ((await res.json()) as { design: { id: string } }).design.id;
    const a = await joinDraft(server.url, t1, id);
    const b = await joinDraft(server.url, t2, id);
    const target = (docToLayout(a.doc).equipment as { id: string }[])[0].id;
    const ms: number[] = [];
    try {
      for (let i = 0; i < edits; i++) {
        const x = 100 + i;
        const seen = new Promise<number>((resolve) => {
          const onMsg = (m: { update: unknown }) => {
            if (!asBytes(m.update)) return;
            const e = (docToLayout(b.doc).equipment as { id: string; position: number[] }[]).find(
              (q) => q.id === target,
            );
            if (e?.position[0] === x) {
              b.socket.off('design:update' as never, onMsg as never);
              resolve(performance.now());
            }
          };
          // After the helper's own listener (which applies the update to the doc).
          b.socket.on('design:update' as never, onMsg as never);
        });
        const t0 = performance.now();
        const from = docToLayout(a.doc);
        applyLayoutChange(a.doc, from, {
          ...from,
          equipment: (from.equipment as { id: string; position: number[] }[]).map((e) =>
            e.id === target ? { ...e, position: [x, 0, 1] } : e,
          ),
        });
        ms.push((await seen) - t0);
        await new Promise((r) => setTimeout(r, EDIT_GAP_MS));
      }
    } finally {
      a.close();
      b.close();
    }
    const p50 = percentile(ms, 0.5);
    const p95 = percentile(ms, 0.95);
    return { edits, p50, p95, targetMs: COLLAB_TARGET_MS, meetsTarget: p95 <= COLLAB_TARGET_MS };
  } finally {
    await server.close();
  }
}
