import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';

describe('server configuration', () => {
  it('uses defaults when nothing is given', () => {
    const r = loadConfig([], {});
    expect(r).toMatchObject({ ok: true, config: { port: 3000, seed: 1, speed: 1, dev: false } });
  });

  it('takes flags over environment variables', () => {
    const r = loadConfig(['--port', '4100', '--speed', '10', '--seed', '9', '--scale', '10000'], {
      PORT: '5000',
      SPEED: '2',
    });
    expect(r).toMatchObject({ ok: true, config: { port: 4100, speed: 10, seed: 9, scale: 10000 } });
  });

  it('reads PORT from the environment', () => {
    expect(loadConfig([], { PORT: '8080' })).toMatchObject({ ok: true, config: { port: 8080 } });
  });

  it('names the flag of every bad value', () => {
    const r = loadConfig(['--speed', '80', '--port', 'abc', '--seed=-1'], {});
    expect(r.ok).toBe(false);
    const errors = (r as { errors: string[] }).errors.join('\n');
    expect(errors).toContain('--speed: expected a speed between 0.1 and 50');
    expect(errors).toContain('--port:');
    expect(errors).toContain('--seed:');
  });

  it('refuses unknown flags and empty values', () => {
    expect(loadConfig(['--sped', '2'], {}).ok).toBe(false);
    expect(loadConfig(['--port', ''], {})).toMatchObject({
      ok: false,
      errors: ['--port: must not be empty'],
    });
  });

  it('defaults to no extra origins, no public showcase and 12-hour sessions', () => {
    expect(loadConfig([], {})).toMatchObject({
      ok: true,
      config: { allowOrigin: [], publicShowcase: false, sessionHours: 12 },
    });
  });

  it('takes allowed origins repeated, comma-separated or from ALLOW_ORIGINS, normalized', () => {
    const r = loadConfig(
      [
        '--allow-origin',
        'https://hmi.example.com',
        '--allow-origin',
        'http://LOCALHOST:5173/, http://10.0.0.2:80',
      ],
      { ALLOW_ORIGINS: 'https://ignored.example' },
    );
    expect(r).toMatchObject({
      ok: true,
      config: { allowOrigin: ['https://hmi.example.com', 'http://localhost:5173', 'http://10.0.0.2'] },
    });
    expect(loadConfig([], { ALLOW_ORIGINS: 'https://a.example,https://b.example:8443' })).toMatchObject({
      ok: true,
      config: { allowOrigin: ['https://a.example', 'https://b.example:8443'] },
    });
  });

  it('refuses an allowed origin with a path, another scheme or no scheme', () => {
    for (const bad of [
      'https://a.example/app',
      'ftp://a.example',
      'a.example',
      '*',
      'https://a.example?x=1',
      'https://u:p@a.example',
    ]) {
      const r = loadConfig(['--allow-origin', bad], {});
      expect(r.ok, bad).toBe(false);
      expect((r as { errors: string[] }).errors[0], bad).toMatch(/^--allow-origin: .* is not an origin/);
    }
    expect(loadConfig(['--allow-origin', ''], {})).toMatchObject({
      ok: false,
      errors: ['--allow-origin: must not be empty'],
    });
  });

  it('turns the public showcase on by flag or PUBLIC_SHOWCASE=1|true, and refuses other values', () => {
    expect(loadConfig(['--public-showcase'], {})).toMatchObject({ config: { publicShowcase: true } });
    expect(loadConfig([], { PUBLIC_SHOWCASE: '1' })).toMatchObject({ config: { publicShowcase: true } });
    expect(loadConfig([], { PUBLIC_SHOWCASE: 'TRUE' })).toMatchObject({ config: { publicShowcase: true } });
    expect(loadConfig([], { PUBLIC_SHOWCASE: '0' })).toMatchObject({ config: { publicShowcase: false } });
    expect(loadConfig([], { PUBLIC_SHOWCASE: 'yes please' }).ok).toBe(false);
  });

  it('takes the session life in hours, 0.05 to 168', () => {
    expect(loadConfig(['--session-hours', '0.5'], {})).toMatchObject({ config: { sessionHours: 0.5 } });
    expect(loadConfig([], { SESSION_HOURS: '168' })).toMatchObject({ config: { sessionHours: 168 } });
    for (const bad of ['0', '0.01', '169', 'forever']) {
      const r = loadConfig(['--session-hours', bad], {});
      expect(r.ok, bad).toBe(false);
      expect((r as { errors: string[] }).errors[0]).toMatch(/^--session-hours: /);
    }
  });

  it('records the live plant by default, keeping 24 hours; --no-record or RECORD=0 turns it off', () => {
    expect(loadConfig([], {})).toMatchObject({ config: { record: true, retentionHours: 24 } });
    expect(loadConfig(['--no-record'], {})).toMatchObject({ config: { record: false } });
    expect(loadConfig([], { RECORD: '0' })).toMatchObject({ config: { record: false } });
    expect(loadConfig([], { RECORD: 'true' })).toMatchObject({ config: { record: true } });
    expect(loadConfig([], { RECORD: 'maybe' })).toMatchObject({
      ok: false,
      errors: ['--no-record: RECORD must be 1, true, 0 or false'],
    });
  });

  it('takes the recording retention in hours, 0.1 to 8760, by flag or RETENTION_HOURS', () => {
    expect(loadConfig(['--retention-hours', '2.5'], {})).toMatchObject({ config: { retentionHours: 2.5 } });
    expect(loadConfig([], { RETENTION_HOURS: '168' })).toMatchObject({ config: { retentionHours: 168 } });
    expect(loadConfig(['--retention-hours', '48'], { RETENTION_HOURS: '1' })).toMatchObject({
      config: { retentionHours: 48 },
    });
    for (const bad of ['0', '0.01', '9000', 'a week', '']) {
      const r = loadConfig(['--retention-hours', bad], {});
      expect(r.ok, bad).toBe(false);
      expect((r as { errors: string[] }).errors[0]).toMatch(/^--retention-hours: /);
    }
  });

  it('answers --help', () => {
    expect(loadConfig(['--help'], {})).toEqual({ ok: 'help' });
  });
});
