import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderEnglish } from '../../../protocol';
import { createWorld, type PlantEventDraft, SIM_DT_S, stepWorld } from '../../../server/sim';
import { defaultLayout } from '../../helpers/server';

interface Recording {
  seed: number;
  steps: number;
  stateSha256: string;
  events: PlantEventDraft[];
}

/** Recorded before scenario support existed (issue 5); see the fixture's note. */
const recorded = JSON.parse(
  readFileSync(new URL('./fixtures/defaultPlantSeed7.json', import.meta.url), 'utf8'),
) as Recording;

describe('the default plant without a scenario', () => {
  it('gives the same event log and states as before scenario support, byte for byte', () => {
    const w = createWorld(defaultLayout(), recorded.seed);
    const events: PlantEventDraft[] = [];
    // Every simulated minute the states, poses and signals feed a hash: an extra RNG draw anywhere shows.
    const h = createHash('sha256');
    for (let i = 0; i < recorded.steps; i++) {
      for (const e of stepWorld(w, SIM_DT_S)) events.push(e);
      if (i % 600 !== 599) continue;
      for (const e of w.equipment) {
        h.update(Buffer.from(e.signals.buffer));
        h.update(String(e.state));
        if (e.pose) h.update(Buffer.from(e.pose.buffer));
      }
    }
    // The text codes came later and only ride along: without them the log is the recorded one, and
    // each renders to its message.
    const bare = events.map(({ text, ...rest }) => rest);
    expect(JSON.stringify(bare)).toBe(JSON.stringify(recorded.events));
    for (const e of events) expect(e.text && renderEnglish(e.text.code, e.text.params)).toBe(e.message);
    expect(h.digest('hex')).toBe(recorded.stateSha256);
    expect(events.some((e) => 'simulated' in e)).toBe(false);
  });
});
