import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config';
import { spawnMain } from '../../helpers/mainProcess';
import { tempDataDir } from '../../helpers/server';

describe('the scenario library at start', () => {
  it('takes the scenario folder from --scenarios or SCENARIOS, default the shipped one', () => {
    const flag = loadConfig(['--scenarios', 'my/scenarios'], {});
    expect(flag.ok === true && flag.config.scenarios).toBe('my/scenarios');
    const env = loadConfig([], { SCENARIOS: 'env/scenarios' });
    expect(env.ok === true && env.config.scenarios).toBe('env/scenarios');
    const none = loadConfig([], {});
    expect(none.ok === true && none.config.scenarios).toBeUndefined();
    expect(loadConfig(['--scenarios', ''], {})).toMatchObject({ ok: false });
  });

  it('refuses to start with a bad scenario file, naming the file, the field and the line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plant-scenarios-'));
    writeFileSync(
      join(dir, 'broken.yaml'),
      [
        'name: Broken',
        'description: A step on equipment that does not exist.',
        'learningGoal: none',
        'seed: 1',
        'speed: 1',
        'durationS: 60',
        'timeline:',
        '  - atS: 5',
        '    fault: { kind: conveyor-jam, equipment: NOPE-9 }',
        'expectations: []',
        '',
      ].join('\n'),
    );
    const p = spawnMain(['--port', '0', '--data', tempDataDir(), '--scenarios', dir]);
    expect((await p.exited).code).toBe(1);
    expect(p.stderr()).toContain(`Scenario files in ${dir} are not valid`);
    expect(p.stderr()).toMatch(/broken\.yaml: timeline\[0\]\.fault\.equipment: .*NOPE-9.*\(line 9\)/);
  }, 60_000);
});
