import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioLibrary, SCENARIOS_DIR } from '../../server/scenarios/loadScenario';
import { type AppServer, startAppServer } from '../helpers/appServer';
import {
  collectErrors,
  hasChromium,
  launchChromium,
  logIn,
  twinStats,
  waitForLivePlant,
} from '../helpers/browser';

const CJK = /[\u4e00-\u9fff]/g;
/** Words a Chinese screen may write in Latin letters: acronyms of the field, units, key names. */
const LATIN_OK = new Set(
  (
    'OEE AGV KPI FPY CPU GPU RSRP SINR IR AI SIM JSON HTML Esc Alt Enter ' +
    'ms kW MW rpm dBm dB mm Mbit kg min rad Hz kB MB GB English'
  ).split(' '),
);

/**
 * Words of the shipped data (plant names, scenario texts) that has no Chinese translation: data
 * shows in the language it is written in. Alarm messages are not in here: they must be Chinese.
 */
function untranslatedDataWords(): Set<string> {
  const plant = JSON.parse(
    readFileSync(join(import.meta.dirname, '../../assets/plants/default.json'), 'utf8'),
  );
  const words = new Set<string>();
  const addText = (s: string | undefined) => {
    for (const w of s?.match(/[A-Za-z]+/g) ?? []) words.add(w);
  };
  const add = (x: { name?: string; names?: Record<string, string> }) => {
    if (x?.name && !x.names?.['zh-CN']) addText(x.name);
  };
  add(plant);
  if (!plant.siteNames?.['zh-CN']) addText(plant.site);
  for (const list of ['zones', 'lines', 'equipment', 'viewpoints']) for (const x of plant[list] ?? []) add(x);
  for (const { scenario } of loadScenarioLibrary(SCENARIOS_DIR).scenarios.values()) {
    const zh = scenario.translations?.['zh-CN'];
    if (!zh?.name) addText(scenario.name);
    if (!zh?.description) addText(scenario.description);
    if (!zh?.learningGoal) addText(scenario.learningGoal);
  }
  return words;
}

/** Latin words in the text that are neither ids (with digits or dashes) nor allowed. */
function foreignWords(text: string, allowed: Set<string>): string[] {
  const tokens = text.match(/[A-Za-z][A-Za-z0-9_.@:/-]*/g) ?? [];
  return tokens.filter((t) => t.length > 1 && !/[\d@_.:/-]/.test(t) && !LATIN_OK.has(t) && !allowed.has(t));
}

// innerText on purpose: the text a reader sees (hidden elements and hidden tabs left out).
// The audit trail's entries stay in English by design (like the logs): its table body is left out.
const visibleText = (page: Page) =>
  page.evaluate(() => {
    const audit = document.querySelector<HTMLElement>('[data-testid="audit-panel"] tbody');
    if (audit) audit.style.display = 'none';
    // biome-ignore lint/performance/useDomNodeTextContent: visible text is what is measured.
    const text = document.body.innerText;
    if (audit) audit.style.display = '';
    return text;
  });

/**
 * Whether the Chinese on screen renders with the bundled Noto Sans SC: a face of it is loaded and
 * every glyph subset the page's own Chinese text needs is too.
 */
const cjkFontLoaded = (page: Page) =>
  page.evaluate(async () => {
    await document.fonts.ready;
    // biome-ignore lint/performance/useDomNodeTextContent: the characters on screen are what is checked.
    const sample = [...new Set(document.body.innerText.match(/[\u4e00-\u9fff]/g) ?? [])].slice(0, 40);
    const loaded = [...document.fonts].some(
      (f) => f.family.replace(/["']/g, '') === 'Noto Sans SC' && f.status === 'loaded',
    );
    // Each character's glyph subset is loaded in one of the weights the screens use.
    const covered = (c: string) =>
      [300, 400, 700].some((w) => document.fonts.check(`${w} 16px "Noto Sans SC"`, c));
    return sample.length > 0 && loaded && sample.every(covered);
  });

async function expectChinese(page: Page, screen: string, allowed: Set<string>): Promise<void> {
  const text = await visibleText(page);
  expect((text.match(CJK) ?? []).length, `${screen}: Chinese characters`).toBeGreaterThan(10);
  expect(foreignWords(text, allowed), `${screen}: Latin words`).toEqual([]);
  await expect
    .poll(() => cjkFontLoaded(page), { timeout: 15_000, message: `${screen}: CJK font` })
    .toBe(true);
}

async function expectEnglish(page: Page, screen: string): Promise<void> {
  // The language menu names Chinese in Chinese (简体中文): the one CJK text an English screen has.
  const text = (await visibleText(page)).replaceAll('简体中文', '');
  expect(text.match(CJK), `${screen}: no CJK`).toBeNull();
  expect(text.length, `${screen}: has text`).toBeGreaterThan(20);
}

/** React commits per second over a few seconds of streaming. */
async function commitsPerSecond(page: Page): Promise<number> {
  const a = await twinStats(page);
  await new Promise((r) => setTimeout(r, 6000));
  const b = await twinStats(page);
  expect(b.telemetryFrames - a.telemetryFrames).toBeGreaterThan(20);
  return (b.reactCommits - a.reactCommits) / 6;
}

const W = 1024;
const H = 640;

describe.skipIf(!hasChromium)('every screen in Chinese and in English (real server, real browser)', () => {
  let server: AppServer;
  let browser: Browser;
  let zh: BrowserContext;
  let en: BrowserContext;
  let page: Page;
  let errors: string[];
  const allowed = untranslatedDataWords();
  let recording = '';
  let code = '';

  beforeAll(async () => {
    // Fast simulation so the default rules raise alarms within seconds; training and recording on.
    server = await startAppServer({
      speed: 20,
      seed: 3,
      training: true,
      record: { tuning: { chunkFrames: 10, flushEveryMs: 500, keyframeEveryS: 10 } },
    });
    browser = await launchChromium();
    // The browser's language decides when nothing else does.
    zh = await browser.newContext({ locale: 'zh-CN', viewport: { width: W, height: H } });
    en = await browser.newContext({ locale: 'en-US', viewport: { width: W, height: H } });
    page = await zh.newPage();
    errors = collectErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the login page in the browser language, Chinese glyphs in the bundled font', async () => {
    await page.goto(server.url);
    await page.getByTestId('login-screen').waitFor();
    await expectChinese(page, 'login', allowed);
  });

  it('shows the operator console in Chinese with a simulated alarm in Chinese in the list and banner', async () => {
    await logIn(page, server.url, server.users.admin);
    await waitForLivePlant(page, 90_000);
    const row = page.locator('[data-testid^="alarm-row-"]').first();
    await row.waitFor({ timeout: 60_000 });
    await expect.poll(async () => (await row.locator('.alarm-row__msg').textContent()) ?? '').toMatch(CJK);
    await expect
      .poll(async () => (await page.locator('.alarm-banner__msg').textContent()) ?? '', { timeout: 10_000 })
      .toMatch(CJK);
    // The inspector, with its signal names and commands, opened from the alarm.
    await row.click({ position: { x: 200, y: 8 } });
    await page.getByTestId('inspector').waitFor();
    await expectChinese(page, 'operator + inspector', allowed);
    for (const tab of ['history', 'health'] as const) {
      await page.getByTestId(`alarm-tab-${tab}`).click();
      await page.getByTestId(`alarm-${tab}`).waitFor();
      await page.waitForTimeout(1500); // the tab's figures load
      await expectChinese(page, `alarm ${tab}`, allowed);
    }
    await page.getByTestId('alarm-tab-alarms').click();
    await page.getByTestId('audit-open').click();
    await page.getByTestId('audit-status').waitFor({ timeout: 15_000 });
    await page.waitForTimeout(1500);
    await expectChinese(page, 'audit', allowed);
    await page.keyboard.press('Escape');
  }, 240_000);

  it('keeps React at human rate while streaming in Chinese', async () => {
    await page.keyboard.press('Escape');
    expect(await commitsPerSecond(page)).toBeLessThanOrEqual(2.2);
  }, 30_000);

  it('shows the replay list and player in Chinese', async () => {
    await page.goto(`${server.url}/replay`);
    const row = page.locator('[data-kind="live"]').first();
    await row.waitFor({ timeout: 20_000 });
    recording = (await row.getAttribute('data-testid'))?.replace(/^recording-/, '') ?? '';
    await expectChinese(page, 'replay list', allowed);
    await page.goto(`${server.url}/replay/${recording}`);
    await page.getByTestId('replay-time').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1500);
    await expectChinese(page, 'replay player', allowed);
  }, 90_000);

  it('shows the trainer console and the trainee view in Chinese', async () => {
    await page.goto(`${server.url}/trainer`);
    await page.getByTestId('scenario-detail').waitFor({ timeout: 20_000 });
    await expectChinese(page, 'scenario picker', allowed);
    await page.getByTestId('scenario-create').click();
    await page.locator('[data-testid="trainer-bar"][data-state="ready"]').waitFor({ timeout: 20_000 });
    code = (await page.getByTestId('trainer-code').textContent())?.trim() ?? '';
    // The join code (six letters and digits; shown whole, grouped, or its letters beside its digits).
    for (let i = 0; i < code.length; i++)
      for (let j = i + 2; j <= code.length; j++) allowed.add(code.slice(i, j));
    await page.getByTestId('trainer-start').click();
    await waitForLivePlant(page, 90_000);
    await expectChinese(page, 'trainer console', allowed);
    // The trainee in its own tab (its own login); the trainer's scene is closed first (small machine).
    await page.goto('about:blank');
    const trainee = await zh.newPage();
    await logIn(trainee, `${server.url}/train/${code}`, server.users.operator);
    await trainee.getByTestId('training-banner').waitFor({ timeout: 90_000 });
    await trainee.waitForTimeout(1500);
    await expectChinese(trainee, 'trainee view', allowed);
    await trainee.close();
  }, 240_000);

  it('shows the showcase in Chinese', async () => {
    await page.goto(`${server.url}/showcase`);
    await page.getByTestId('showcase').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(3000);
    await expectChinese(page, 'showcase', allowed);
  }, 60_000);

  it('shows the same screens in English without any CJK and without loading the Chinese font', async () => {
    // One live scene at a time on a small machine: the Chinese pages are done.
    await page.goto('about:blank');
    const p = await en.newPage();
    const enErrors = collectErrors(p);
    await p.goto(server.url);
    await p.getByTestId('login-screen').waitFor();
    await expectEnglish(p, 'login');
    await logIn(p, server.url, server.users.admin);
    await waitForLivePlant(p, 90_000);
    await p
      .locator('[data-testid^="alarm-row-"]')
      .first()
      .click({ position: { x: 200, y: 8 } });
    await p.getByTestId('inspector').waitFor();
    await expectEnglish(p, 'operator + inspector');
    for (const tab of ['history', 'health'] as const) {
      await p.getByTestId(`alarm-tab-${tab}`).click();
      await p.getByTestId(`alarm-${tab}`).waitFor();
      await expectEnglish(p, `alarm ${tab}`);
    }
    await p.getByTestId('audit-open').click();
    await expectEnglish(p, 'audit');
    await p.keyboard.press('Escape');
    await p.keyboard.press('Escape');
    expect(await commitsPerSecond(p)).toBeLessThanOrEqual(2.2);
    for (const [path, ready] of [
      ['/replay', 'replay-list'],
      [`/replay/${recording}`, 'replay-time'],
      ['/trainer', 'scenario-detail'],
    ] as const) {
      await p.goto(`${server.url}${path}`);
      await p.getByTestId(ready).first().waitFor({ timeout: 30_000 });
      await p.waitForTimeout(1000);
      await expectEnglish(p, path);
    }
    // An English session fetches no byte of the Chinese font.
    const fontBytes = await p.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((r) => /noto-sans-sc/i.test(r.name))
        .reduce((n, r) => n + (r as PerformanceResourceTiming).transferSize, 0),
    );
    expect(fontBytes).toBe(0);
    expect(enErrors).toEqual([]);
    await p.close();
  }, 300_000);

  it('switches language live from the user menu and remembers it for the user', async () => {
    const lang = (pg: Page) => pg.evaluate(() => document.documentElement.lang);
    const p = await en.newPage();
    await logIn(p, server.url, server.users.operator);
    await p.getByTestId('language-switch').selectOption('zh-CN');
    await expect.poll(() => lang(p)).toBe('zh-CN');
    await expect
      .poll(async () => (await p.getByTestId('logout').textContent()) ?? '', { timeout: 10_000 })
      .toMatch(CJK);
    await p.close();
    // Remembered on the server: a fresh login in an English browser comes back in Chinese.
    const again = await en.newPage();
    await logIn(again, server.url, server.users.operator);
    await expect.poll(() => lang(again), { timeout: 10_000 }).toBe('zh-CN');
    await again.close();
    // ?lang= still wins for that page load.
    const pinned = await en.newPage();
    await logIn(pinned, `${server.url}/?lang=en`, server.users.operator);
    await pinned.getByTestId('logout').waitFor({ timeout: 30_000 });
    expect(await lang(pinned)).toBe('en');
    await pinned.close();
  }, 150_000);

  it('logs no console errors', () => {
    expect(errors).toEqual([]);
  });
});
