import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppServer, startAppServer } from '../helpers/appServer';
import { hasChromium, launchChromium, logIn } from '../helpers/browser';
import { parsePrometheusText, sampleValue } from '../helpers/promText';
import { sleep } from '../helpers/server';

describe.skipIf(!hasChromium)('the browser client names its screen in the handshake', () => {
  let server: AppServer;
  let browser: Browser;
  let admin = '';

  beforeAll(async () => {
    server = await startAppServer({ publicShowcase: true });
    browser = await launchChromium();
    const res = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(server.users.admin),
    });
    admin = ((await res.json()) as { token: string }).token;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Polls /metrics (as the admin) until sockets_connected{role, screen} is 1 or 60 s passed; its value. */
  async function socketsOf(role: string, screen: string): Promise<number> {
    const end = Date.now() + 60_000;
    for (;;) {
      const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${admin}` } });
      const n = sampleValue(parsePrometheusText(await res.text()), 'plant_twin_sockets_connected', {
        role,
        screen,
      });
      if (n === 1 || Date.now() > end) return n;
      await sleep(250);
    }
  }

  it('counts the operator console and the public showcase by their screens', async () => {
    const operator = await browser.newPage({ viewport: { width: 800, height: 600 } });
    await logIn(operator, `${server.url}/`, server.users.operator);
    expect(await socketsOf('operator', 'operator')).toBe(1);
    const showcase = await browser.newPage({ viewport: { width: 800, height: 600 } });
    await showcase.goto(`${server.url}/showcase`);
    expect(await socketsOf('viewer', 'showcase')).toBe(1);
    await operator.close();
    await showcase.close();
  }, 150_000);
});
