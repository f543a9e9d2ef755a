import { startAppServer } from '../test/helpers/appServer';
import { launchChromium, logIn } from '../test/helpers/browser';

const OUT = '/tmp/shots';
const server = await startAppServer({ seed: 5, speed: 4, designs: true, training: true, record: true });
const browser = await launchChromium();
const admin = server.users.admin;
const login = await fetch(`${server.url}/api/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(admin),
});
const { token } = (await login.json()) as { token: string };
const created = await fetch(`${server.url}/api/designs`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  body: JSON.stringify({ name: 'Line 3 rebuild' }),
});
const draft = ((await created.json()) as { design: { id: string } }).design.id;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
try {
  for (const lang of ['en', 'zh-CN']) {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await ctx.newPage();
    await page.goto(`${server.url}/?lang=${lang}`);
    await sleep(1500);
    await page.screenshot({ path: `${OUT}/${lang}-login.png` });
    await logIn(page, `${server.url}/?lang=${lang}`, admin);
    await sleep(6000);
    await page.screenshot({ path: `${OUT}/${lang}-operator.png` });
    for (const path of ['/trainer', '/replay', '/design', `/design/${draft}`, '/showcase']) {
      await page.goto(`${server.url}${path}?lang=${lang}`);
      await sleep(path === '/showcase' ? 8000 : 5000);
      const name = path.replace(/\//g, '_').replace(/^_/, '') || 'root';
      await page.screenshot({ path: `${OUT}/${lang}-${name.replace(/d-[0-9a-f]+/, 'draft')}.png` });
      if (path.startsWith('/design/')) {
        for (const tab of ['design-tab-zones', 'design-tab-lines', 'design-tab-views', 'models-toggle']) {
          const el = page.getByTestId(tab);
          if (await el.count()) {
            await el.first().click();
            await sleep(800);
            await page.screenshot({ path: `${OUT}/${lang}-draft-${tab}.png` });
          }
        }
      }
    }
    await ctx.close();
  }
} finally {
  await browser.close();
  await server.close();
}
