import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { type Layout, signalsOf } from '../protocol';
import { setUpAlarms } from '../server/alarms/setup';
import { createApp } from '../server/app';
import { CLIENT_DIST } from '../server/clientBuild';
import { PlantSession } from '../server/session/plantSession';
import { openTestAuth } from '../test/helpers/appServer';
import { launchChromium, logIn, twinStats, waitForLivePlant } from '../test/helpers/browser';
import { percentile } from './stats';

/** Alarms in the flood, and when it starts and how long it lasts (simulation s at speed 1). */
const FLOOD = 100;
const FLOOD_AT_S = 30;
const FLOOD_SPAN_S = 10;
const WINDOW_S = 10;

/**
 * One always-true rule per (equipment, signal) pair, each with its own on-delay, so exactly
 * FLOOD alarms rise one every 0.1 s between FLOOD_AT_S and FLOOD_AT_S + FLOOD_SPAN_S.
 */
function floodRules(layout: Layout): object {
  const rules: object[] = [];
  for (let k = 0; rules.length < FLOOD; k++)
    for (const e of layout.equipment) {
      const defs = signalsOf(e.kind).filter((d) => d.enc === 'q16');
      const d = defs[k % defs.length];
      if (!d || rules.length >= FLOOD) continue;
      rules.push({
        id: `flood-${rules.length}`,
        kind: e.kind,
        equipment: [e.id],
        type: 'low',
        signal: d.key,
        limit: d.max + 1, // every value is below it: the condition is always true
        priority: (['critical', 'high', 'medium', 'low'] as const)[rules.length % 4],
        message: '{name}: flood test alarm',
        onDelayS: FLOOD_AT_S + (rules.length * FLOOD_SPAN_S) / FLOOD,
      });
    }
  return { rules };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Main-thread frame time of the operator page while calm and while 100 alarms arrive in 10 s, in
 * the same browser session; and whether the alarm list ends complete.
 */
export async function benchAlarmFlood(layout: Layout) {
  const dir = mkdtempSync(join(tmpdir(), 'flood-'));
  const rulesPath = join(dir, 'rules.json');
  writeFileSync(rulesPath, JSON.stringify(floodRules(layout)));
  const alarms = setUpAlarms(layout, { rulesPath, dataDir: ':memory:' });
  if (!alarms.ok) throw new Error(`${alarms.title}\n${alarms.errors.join('\n')}`);
  const session = new PlantSession(layout, { seed: 4, speed: 1, alarms: alarms.book });
  const { auth, users } = await openTestAuth();
  const app = createApp({
    session,
    logger: pino({ level: 'silent' }),
    clientDir: CLIENT_DIST,
    auth,
    security: { allowOrigins: [], publicShowcase: false },
  });
  const port = await app.listen(0, '127.0.0.1');
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 640, height: 400 } });
    await logIn(page, `http://127.0.0.1:${port}`, users.operator);
    await waitForLivePlant(page, 60_000);
    const until = async (simS: number) => {
      while (session.world.simTimeS < simS) await sleep(100);
    };
    const windowMs = async (fromS: number, toS: number) => {
      await until(fromS);
      const a = await twinStats(page);
      await until(toS);
      const b = await twinStats(page);
      return page.evaluate(
        (n) =>
          (window as unknown as { __twin: { recentFrameMs: (n: number) => number[] } }).__twin.recentFrameMs(
            n,
          ),
        b.frames - a.frames,
      );
    };
    const calm = await windowMs(FLOOD_AT_S - WINDOW_S - 1, FLOOD_AT_S - 1);
    const flood = await windowMs(FLOOD_AT_S, FLOOD_AT_S + FLOOD_SPAN_S + 1);
    await sleep(2000);
    const rows = await page.locator('[data-testid^="alarm-row-"]').count();
    const calmP95 = percentile(calm, 0.95);
    const floodP95 = percentile(flood, 0.95);
    return {
      alarms: FLOOD,
      calm: { frames: calm.length, p50: percentile(calm, 0.5), p95: calmP95 },
      flood: { frames: flood.length, p50: percentile(flood, 0.5), p95: floodP95 },
      ratio: floodP95 / Math.max(calmP95, 1e-6),
      listRows: rows,
      listComplete: rows >= FLOOD,
    };
  } finally {
    await browser.close();
    await app.close();
    auth.close();
  }
}
