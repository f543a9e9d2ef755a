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

  it('answers --help', () => {
    expect(loadConfig(['--help'], {})).toEqual({ ok: 'help' });
  });
});
