import { describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../../server/config';

const errorsOf = (r: ReturnType<typeof loadConfig>) => (r.ok === false ? r.errors : []);

describe('--frame-ancestors configuration', () => {
  it('lets no page frame the twin unless told', () => {
    expect(loadConfig([], {})).toMatchObject({ ok: true, config: { frameAncestors: [] } });
  });

  it('takes origins repeated, comma-separated or from FRAME_ANCESTORS, normalized', () => {
    const r = loadConfig(
      [
        '--frame-ancestors',
        'https://Portal.example.com',
        '--frame-ancestors',
        'http://10.0.0.5:8080/, https://b.example:443',
      ],
      { FRAME_ANCESTORS: 'https://ignored.example' },
    );
    expect(r).toMatchObject({
      ok: true,
      config: { frameAncestors: ['https://portal.example.com', 'http://10.0.0.5:8080', 'https://b.example'] },
    });
    expect(loadConfig([], { FRAME_ANCESTORS: 'https://a.example,https://b.example:8443' })).toMatchObject({
      ok: true,
      config: { frameAncestors: ['https://a.example', 'https://b.example:8443'] },
    });
  });

  it('refuses anything that is not an origin, naming the flag', () => {
    for (const bad of [
      '*',
      "'self'",
      'portal.example',
      'https://portal.example/page',
      'javascript:alert(1)',
      'ftp://x.example',
    ]) {
      const errors = errorsOf(loadConfig(['--frame-ancestors', bad], {}));
      expect(errors, bad).toHaveLength(1);
      expect(errors[0], bad).toMatch(/^--frame-ancestors: .* is not an origin/);
    }
    expect(errorsOf(loadConfig(['--frame-ancestors', ''], {}))).toEqual([
      '--frame-ancestors: must not be empty',
    ]);
    expect(errorsOf(loadConfig([], { FRAME_ANCESTORS: 'https://ok.example, *' }))[0]).toMatch(
      /^--frame-ancestors: "\*" is not an origin/,
    );
  });
});

describe('--tls-cert and --tls-key configuration', () => {
  it('serves plain HTTP unless both are given', () => {
    const r = loadConfig([], {});
    expect(r.ok).toBe(true);
    const { config } = r as { config: Config };
    expect(config.tlsCert).toBeUndefined();
    expect(config.tlsKey).toBeUndefined();
  });

  it('takes both from flags or from TLS_CERT and TLS_KEY', () => {
    expect(loadConfig(['--tls-cert', 'c.pem', '--tls-key', 'k.pem'], {})).toMatchObject({
      ok: true,
      config: { tlsCert: 'c.pem', tlsKey: 'k.pem' },
    });
    expect(loadConfig([], { TLS_CERT: '/etc/twin/cert.pem', TLS_KEY: '/etc/twin/key.pem' })).toMatchObject({
      ok: true,
      config: { tlsCert: '/etc/twin/cert.pem', tlsKey: '/etc/twin/key.pem' },
    });
  });

  it('refuses one without the other, naming the missing flag', () => {
    expect(errorsOf(loadConfig(['--tls-cert', 'c.pem'], {}))).toEqual([
      '--tls-key: missing: --tls-cert needs its private key',
    ]);
    expect(errorsOf(loadConfig([], { TLS_KEY: 'k.pem' }))).toEqual([
      '--tls-cert: missing: --tls-key needs the certificate it belongs to',
    ]);
  });

  it('refuses empty file names', () => {
    expect(errorsOf(loadConfig(['--tls-cert', '', '--tls-key', 'k.pem'], {}))).toContain(
      '--tls-cert: must not be empty',
    );
  });
});
