import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const SIM_DIR = new URL('../../../server/sim/', import.meta.url);
const FORBIDDEN = ['Math.random(', 'Date.now(', 'performance.now(', 'new Date(', "from 'node:", 'process.'];

describe('simulation purity', () => {
  it('reads no clock, no global randomness and no I/O in server/sim', () => {
    const files = readdirSync(SIM_DIR).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    const found: string[] = [];
    for (const f of files) {
      const text = readFileSync(new URL(f, SIM_DIR), 'utf8');
      for (const bad of FORBIDDEN) if (text.includes(bad)) found.push(`${f}: ${bad}`);
    }
    expect(found).toEqual([]);
  });
});
