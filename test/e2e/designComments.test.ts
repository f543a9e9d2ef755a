import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommentThread } from '../../protocol/designComments';
import type { AuthService } from '../../server/auth/types';
import { openTestAuth, startAppServer } from '../helpers/appServer';
import { axeViolations, collectErrors, hasChromium, launchChromium, logIn } from '../helpers/browser';
import { randomPassword, TEST_ACTOR } from '../helpers/server';

/** expect.poll with room for a loaded machine (two pages of software WebGL on two cores). */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 30_000, interval: 150 });

type Point = { x: number; y: number } | null;
type DesignHooks = {
  comments: () => CommentThread[];
  commentPin: (id: string) => Point;
  floorPoint: (x: number, z: number) => Point;
  collab: () => { status: string; peers: string[] };
  disconnect: () => void;
  reconnect: () => void;
};
/** Calls one of the page's `window.__design` hooks. */
function hook<K extends keyof DesignHooks>(page: Page, name: K, ...args: Parameters<DesignHooks[K]>) {
  return page.evaluate(
    ([n, a]) => {
      const d = (window as unknown as { __design?: Record<string, (...x: unknown[]) => unknown> }).__design;
      return d ? d[n as string](...(a as unknown[])) : null;
    },
    [name, args] as const,
  ) as Promise<ReturnType<DesignHooks[K]> | null>;
}

describe.skipIf(!hasChromium)('two engineers commenting on one draft in real browsers', () => {
  let server: Awaited<ReturnType<typeof startAppServer>>;
  let auth: AuthService;
  let browser: Browser;
  let a: Page;
  let b: Page;
  const errors: string[][] = [];
  const second = { username: 'eng2', password: randomPassword() };
  let threadId = '';

  beforeAll(async () => {
    const opened = await openTestAuth();
    auth = opened.auth;
    const added = await auth.addUser(second.username, 'engineer', second.password, TEST_ACTOR);
    if (!added.ok) throw new Error(added.message);
    server = await startAppServer({ designs: true, auth });
    Object.assign(server.users, opened.users);
    browser = await launchChromium();
    a = await (
      await browser.newContext({ viewport: { width: 1280, height: 720 }, bypassCSP: true })
    ).newPage();
    b = await (
      await browser.newContext({ viewport: { width: 1280, height: 720 }, bypassCSP: true })
    ).newPage();
    errors.push(collectErrors(a), collectErrors(b));
    await logIn(a, `${server.url}/design`, server.users.engineer);
    await a.getByTestId('design-new-name').fill('Commented');
    await a.getByTestId('design-new').click();
    await a.getByTestId('design-editor').waitFor({ timeout: 30_000 });
    const draftId = /\/design\/(d-[0-9a-f]{12})$/.exec(new URL(a.url()).pathname)?.[1] ?? '';
    await logIn(b, `${server.url}/design/${draftId}`, second);
    await b.getByTestId('design-editor').waitFor({ timeout: 30_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    auth?.close();
  });

  it('lets one engineer comment on a robot mentioning the other, who sees it and the mention', async () => {
    await poll(async () => (await hook(a, 'collab'))?.peers).toContain('eng2');
    await a.getByTestId('design-pick').selectOption('L1-R1');
    await a.getByTestId('design-comments-toggle').click();
    await a.getByTestId('design-comments').waitFor();
    await poll(() => a.getByTestId('comment-new-anchor').textContent()).toBe('On L1-R1');
    await a.getByTestId('comment-new-text').fill('@eng2 is the reach of this robot enough?');
    await a.getByTestId('comment-new-submit').click();
    await poll(() => a.getByTestId('comment-thread').count()).toBe(1);
    threadId = (await a.getByTestId('comment-thread').getAttribute('data-id')) ?? '';
    expect(threadId).toMatch(/^c-/);
    // Not a mention of the writer: only B is marked.
    expect(await a.getByTestId('comment-thread').getAttribute('data-mentions-me')).toBe('false');

    // B: the count in the top bar, then the thread with the mention marked as B's own.
    await poll(() => b.getByTestId('design-comments-count').textContent()).toBe('1');
    const pin = await hook(b, 'commentPin', threadId);
    expect(pin).not.toBeNull();
    // Clicking the pin in the view opens the panel at its thread.
    await poll(async () => {
      const p = await hook(b, 'commentPin', threadId);
      if (p) await b.mouse.click(p.x, p.y);
      return b.getByTestId('comment-thread-open').getAttribute('aria-expanded');
    }).toBe('true');
    const thread = b.getByTestId('comment-thread');
    expect(await thread.getAttribute('data-mentions-me')).toBe('true');
    expect(await b.getByTestId('comment-mentions-you').textContent()).toBe('Mentions you');
    expect(await thread.getByTestId('comment-mention').getAttribute('class')).toContain('is-me');
    expect(await thread.getByTestId('comment-mention').textContent()).toBe('@eng2');
    expect(await axeViolations(b, '[data-testid="design-comments"]')).toEqual([]);
    expect(await axeViolations(b, '[data-testid="design-bar"]')).toEqual([]);
    await b.screenshot({ path: 'test-results/design-comments-mention.png' });
  }, 120_000);

  it('lets the other reply and resolve, and both pages end with the same threads', async () => {
    await b.getByTestId('comment-reply-text').fill('Yes, 1.8 m covers it. @eng1 FYI');
    // The keyboard: Ctrl+Enter posts.
    await b.getByTestId('comment-reply-text').press('Control+Enter');
    await poll(() => b.getByTestId('comment-reply').count()).toBe(1);
    await b.getByTestId('comment-resolve').click();
    // Resolved threads are hidden until asked for.
    await poll(() => b.getByTestId('comment-thread').count()).toBe(0);
    await poll(() => b.getByTestId('design-comments-count').count()).toBe(0);

    await poll(async () => (await hook(a, 'comments'))?.[0]?.resolvedBy).toBe('eng2');
    await poll(() => a.getByTestId('design-comments-count').count()).toBe(0);
    await a.getByTestId('comment-show-resolved').check();
    // The thread A wrote is the one open in A's panel.
    expect(await a.getByTestId('comment-thread-open').getAttribute('aria-expanded')).toBe('true');
    await poll(() => a.getByTestId('comment-reply').textContent()).toContain('1.8 m covers it');
    expect(await a.getByTestId('comment-resolved-by').textContent()).toContain('eng2');
    expect(await a.getByTestId('comment-thread').getAttribute('data-mentions-me')).toBe('true');
    expect(await hook(a, 'comments')).toEqual(await hook(b, 'comments'));
    // A reopens it: it is open on both pages again.
    await a.getByTestId('comment-reopen').click();
    await poll(() => b.getByTestId('design-comments-count').textContent()).toBe('1');
    expect(await hook(a, 'comments')).toEqual(await hook(b, 'comments'));
  }, 120_000);

  it('pins a comment on a clicked floor point and shows it on the other page', async () => {
    await a.getByTestId('comment-pin-mode').click();
    await poll(() => a.getByTestId('comment-new-anchor').textContent()).toMatch(/Click the floor/);
    // A spot of the hall's floor with no equipment within 6 m, clear of the side panels.
    const hall = { x: 60, z: 45 };
    await poll(async () => {
      const p = await hook(a, 'floorPoint', hall.x, hall.z);
      if (p) await a.mouse.click(p.x, p.y);
      return a.getByTestId('comment-new-anchor').textContent();
    }).toMatch(/^At /);
    await a.getByTestId('comment-new-text').fill('Keep this aisle clear');
    await a.getByTestId('comment-new-submit').click();
    await poll(async () => (await hook(b, 'comments'))?.length).toBe(2);
    const pinned = (await hook(b, 'comments'))?.find((t) => t.text === 'Keep this aisle clear');
    const point = pinned && 'point' in pinned.anchor ? pinned.anchor.point : [];
    expect(Math.abs((point[0] ?? 99) - hall.x)).toBeLessThan(1);
    expect(Math.abs((point[2] ?? 99) - hall.z)).toBeLessThan(1);
    await poll(() => b.getByTestId('design-comments-count').textContent()).toBe('2');
  }, 120_000);

  it('keeps a reply written offline and brings it to the other page on reconnect', async () => {
    await hook(b, 'disconnect');
    await poll(() => b.getByTestId('design-dirty').textContent()).toMatch(/Offline/);
    const thread = b.locator(`[data-testid="comment-thread"][data-id="${threadId}"]`);
    expect(await thread.getByTestId('comment-thread-open').getAttribute('aria-expanded')).toBe('true');
    await thread.getByTestId('comment-reply-text').fill('Written offline');
    await thread.getByTestId('comment-reply-submit').click();
    await poll(() => thread.getByTestId('comment-reply').count()).toBe(2);
    const replies = async (p: Page) =>
      (await hook(p, 'comments'))?.find((t) => t.id === threadId)?.replies.map((r) => r.text);
    expect(await replies(a)).not.toContain('Written offline');
    await hook(b, 'reconnect');
    await poll(() => replies(a)).toContain('Written offline');
    await poll(() => b.getByTestId('design-dirty').textContent()).toBe('Saved');
    expect(await hook(a, 'comments')).toEqual(await hook(b, 'comments'));
  }, 120_000);

  it('shows the panel, the mention mark and the count in Chinese', async () => {
    await b.getByTestId('language-switch').selectOption('zh-CN');
    await poll(() => b.getByTestId('design-comments-toggle').textContent()).toMatch(/^评论/);
    await b.getByTestId('comment-show-resolved').check();
    await poll(() => b.getByTestId('comment-mentions-you').first().textContent()).toBe('提到了你');
    expect(await b.getByTestId('comment-pin-mode').textContent()).toBe('在地面放置');
    expect(await axeViolations(b, '[data-testid="design-comments"]')).toEqual([]);
    await b.getByTestId('language-switch').selectOption('en');
  }, 60_000);

  it('logged no errors in either page', () => {
    expect(errors.flat()).toEqual([]);
  });
});
