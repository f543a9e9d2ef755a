import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SOURCE_KINDS, signalsOf } from '../../protocol';
import { mappingsOf, parseSourcesText, VDA_SIGNALS } from '../../server/ingest/sourcesFile';
import { ROOT } from '../../server/paths';
import { DEFAULT_PLANT, loadPlantFile } from '../../server/plantFile';
import { parseVirtualPlantArgs } from '../../server/virtualPlant/args';
import { parseFaults } from '../../server/virtualPlant/faults';
import { PROTOCOL_OF } from '../../server/virtualPlant/protocolSplit';
import { sourcesYaml } from '../../server/virtualPlant/sourcesFor';

const loaded = loadPlantFile(DEFAULT_PLANT);
if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
const layout = loaded.layout;
const YAML_PATH = join(ROOT, 'assets/sources/virtual-plant.yaml');
const text = readFileSync(YAML_PATH, 'utf8');

describe('assets/sources/virtual-plant.yaml', () => {
  const parsed = parseSourcesText(text, 'yaml', layout, SOURCE_KINDS);

  it('is valid against the built-in plant once all four protocols are supported', () => {
    expect(parsed).toMatchObject({ ok: true });
  });

  it('maps every piece of equipment of the built-in plant exactly once, over the protocol the virtual plant speaks for it', () => {
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const fed = new Map<string, string[]>();
    for (const s of parsed.file.sources)
      for (const m of mappingsOf(s)) fed.set(m.equipment, [...(fed.get(m.equipment) ?? []), s.kind]);
    for (const e of layout.equipment) expect(fed.get(e.id), e.id).toEqual([PROTOCOL_OF[e.kind]]);
    expect(fed.size).toBe(layout.equipment.length);
  });

  it("maps every signal the virtual plant publishes and each machine's state", () => {
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const kindOf = new Map(layout.equipment.map((e) => [e.id, e.kind]));
    for (const s of parsed.file.sources)
      for (const m of mappingsOf(s)) {
        const kind = kindOf.get(m.equipment) ?? 'rack';
        // VDA 5050 carries speed and battery only (state.velocity and batteryState); the rest publish the whole catalog.
        const published = s.kind === 'vda5050' ? [...VDA_SIGNALS] : signalsOf(kind).map((d) => d.key);
        expect(m.signals.map(([k]) => k).sort(), m.equipment).toEqual([...published].sort());
        expect(m.state, m.equipment).toBe(true);
      }
  });

  it('points at mqtt://127.0.0.1:1883 and the OPC UA server on 4840 with securityMode None (said in a comment)', () => {
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    for (const s of parsed.file.sources) {
      if (s.kind === 'opcua')
        expect(s).toMatchObject({ endpoint: 'opc.tcp://127.0.0.1:4840', securityMode: 'None' });
      else expect(s.broker).toBe('mqtt://127.0.0.1:1883');
    }
    expect(text).toMatch(/#.*securityMode None/);
  });

  it('is what --print-sources prints for the built-in plant (the file is not stale)', () => {
    expect(sourcesYaml(layout)).toBe(text);
  });

  it('is refused by a twin without those adapters with "not supported yet" (the e2e test skips on exactly this)', () => {
    const r = parseSourcesText(text, 'yaml', layout, ['mqtt-json']);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toContain('not supported yet: sparkplug');
  });
});

describe('virtual plant arguments', () => {
  it('takes the broker, ports, seed, speed, plant and faults', () => {
    expect(
      parseVirtualPlantArgs([
        '--broker',
        'mqtt://10.0.0.5:1883',
        '--opcua-port',
        '0',
        '--seed',
        '9',
        '--speed',
        '2.5',
        '--faults',
        'L1-R2:joint-overheat@20',
      ]),
    ).toMatchObject({
      ok: true,
      options: {
        broker: 'mqtt://10.0.0.5:1883',
        opcuaPort: 0,
        seed: 9,
        speed: 2.5,
        faults: 'L1-R2:joint-overheat@20',
      },
    });
  });

  it('names the flag of every bad value', () => {
    const r = parseVirtualPlantArgs([
      '--broker',
      'tcp://x',
      '--opcua-port',
      '70000',
      '--seed',
      '1.5',
      '--speed',
      'fast',
    ]);
    expect(r.ok).toBe(false);
    if (r.ok === false) {
      expect(r.errors).toEqual([
        expect.stringContaining('--broker: expected mqtt://host:port'),
        expect.stringContaining('--opcua-port: expected a whole number between 0 and 65535'),
        expect.stringContaining('--seed:'),
        expect.stringContaining('--speed: expected a speed between'),
      ]);
    }
    expect(parseVirtualPlantArgs(['--broker'])).toMatchObject({ ok: false });
    expect(parseVirtualPlantArgs(['--nope'])).toMatchObject({
      ok: false,
      errors: [expect.stringContaining("'--nope'")],
    });
    expect(parseVirtualPlantArgs(['--help'])).toEqual({ ok: 'help' });
  });
});

describe('--faults', () => {
  it('scripts faults at simulation times with the scenario defaults, or the parameters given', () => {
    const r = parseFaults(
      'L1-R2:joint-overheat@20, L2:power-dip@5,L1-R3:joint-overheat@1.5:rateKPerMin=30:joint=3',
      layout,
    );
    expect(r).toEqual({
      ok: true,
      timeline: [
        {
          atS: 1.5,
          index: 2,
          action: {
            type: 'fault',
            fault: { kind: 'joint-overheat', equipment: 'L1-R3', joint: 3, rateKPerMin: 30 },
          },
        },
        {
          atS: 5,
          index: 1,
          action: {
            type: 'fault',
            fault: { kind: 'power-dip', line: 'L2', durationS: 0.5, autoRestart: true },
          },
        },
        {
          atS: 20,
          index: 0,
          action: {
            type: 'fault',
            fault: { kind: 'joint-overheat', equipment: 'L1-R2', joint: 2, rateKPerMin: 3 },
          },
        },
      ],
    });
  });

  it('refuses unknown equipment, faults that do not fit, bad syntax and bad parameters, each with the reason', () => {
    const errs = (spec: string) => {
      const r = parseFaults(spec, layout);
      return r.ok ? [] : r.errors;
    };
    expect(errs('XX-9:joint-overheat@2')).toEqual([expect.stringContaining('no equipment "XX-9"')]);
    expect(errs('L1-C1:joint-overheat@2')).toEqual([expect.stringContaining('"L1-C1" is a conveyor')]);
    expect(errs('L1-R2:melt@2')).toEqual([expect.stringContaining('"melt" is not a fault')]);
    expect(errs('L1-R2@2')).toEqual([expect.stringContaining('is not TARGET:KIND@SECONDS')]);
    expect(errs('L1-R2:joint-overheat@2:joint=9')).toEqual([expect.stringContaining('joint')]);
    expect(errs('L9:power-dip@2')).toEqual([expect.stringContaining('no line "L9"')]);
    expect(errs('')).toHaveLength(1);
  });
});
