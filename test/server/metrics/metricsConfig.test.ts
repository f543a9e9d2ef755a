import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config';

const TOKEN = 'a-scraper-token-of-32-characters';

describe('--metrics-token', () => {
  it('is read from the flag, then METRICS_TOKEN, and is absent by default', () => {
    expect(loadConfig(['--metrics-token', TOKEN], {})).toMatchObject({
      ok: true,
      config: { metricsToken: TOKEN },
    });
    expect(loadConfig([], { METRICS_TOKEN: TOKEN })).toMatchObject({
      ok: true,
      config: { metricsToken: TOKEN },
    });
    const none = loadConfig([], {});
    expect(none.ok === true && none.config.metricsToken).toBeUndefined();
  });

  it('refuses a short token, an empty one and one with spaces, naming the flag but never the token', () => {
    for (const bad of ['short-token', '', 'has a space in the middle of it']) {
      const r = loadConfig(['--metrics-token', bad], {});
      expect(r.ok).toBe(false);
      const errors = r.ok === false ? r.errors : [];
      expect(errors[0]).toMatch(/^--metrics-token: /);
      if (bad) expect(errors.join('\n')).not.toContain(bad);
    }
  });
});
