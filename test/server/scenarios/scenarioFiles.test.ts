import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIO_FAULT_KINDS } from '../../../protocol/scenario';
import {
  fileContext,
  loadScenarioFile,
  loadScenarioLibrary,
  parseScenarioText,
  SCENARIOS_DIR,
  type ScenarioContext,
} from '../../../server/scenarios/loadScenario';

const ctx = fileContext(SCENARIOS_DIR) as ScenarioContext;

/** A valid scenario, one line per entry (line n of the file is BASE[n - 1]). */
const BASE = [
  'name: Jam drill', // 1
  'description: A conveyor jams on line 1.', // 2
  'learningGoal: Reset a jam quickly.', // 3
  'seed: 4', // 4
  'durationS: 600', // 5
  'timeline:', // 6
  '  - atS: 10', // 7
  '    fault:', // 8
  '      kind: conveyor-jam', // 9
  '      equipment: L1-C2', // 10
  '  - atS: 20', // 11
  '    message: Reset the jam.', // 12
  'expectations:', // 13
  '  - type: alarm-ack', // 14
  '    rule: conveyor-fault', // 15
  '    equipment: L1-C2', // 16
  '    withinS: 60', // 17
];

/** BASE with lines replaced ({ line: text }, null deletes) — other line numbers stay put unless deleted. */
function yaml(edits: Record<number, string | null> = {}): string {
  return BASE.flatMap((l, i) => {
    const e = edits[i + 1];
    return e === undefined ? [l] : e === null ? [] : [e];
  }).join('\n');
}

function errorsOf(text: string, format: 'yaml' | 'json' = 'yaml'): string[] {
  const r = parseScenarioText(text, format, 'drill', ctx);
  if (r.ok) throw new Error('expected the scenario to be refused');
  return r.errors;
}

describe('scenario files', () => {
  it('accepts a valid YAML scenario, with defaults and its id from the file name', () => {
    const r = parseScenarioText(yaml(), 'yaml', 'jam-drill', ctx);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.scenario).toMatchObject({
      id: 'jam-drill',
      plant: 'default',
      seed: 4,
      speed: 1,
      randomFaults: false,
    });
    expect(r.scenario.timeline.map((s) => [s.atS, s.action.type])).toEqual([
      [10, 'fault'],
      [20, 'message'],
    ]);
    expect(r.scenario.expectations[0]).toMatchObject({ id: 'alarm-ack-1', afterS: 0, required: true });
    expect(r.layout.equipment.some((e) => e.id === 'L1-C2')).toBe(true);
  });

  it.each<[string, Record<number, string | null>, string]>([
    [
      'an unknown fault kind',
      { 9: '      kind: conveyor-jamm' },
      `timeline[0].fault.kind: expected one of: ${SCENARIO_FAULT_KINDS.join(', ')} (line 9)`,
    ],
    [
      'an unknown field',
      { 10: '      equipment: L1-C2\n      colour: red' },
      'timeline[0].fault.colour: unknown field (line 11)',
    ],
    [
      'unknown equipment, with valid choices truncated',
      { 10: '      equipment: L1-C9' },
      'timeline[0].fault.equipment: unknown conveyor "L1-C9" (expected one of: L1-C1, L1-C2, L1-C3, L1-C4, L2-C1, L2-C2, L2-C3, L2-C4 … and 3 more) (line 10)',
    ],
    [
      'equipment of the wrong kind',
      { 10: '      equipment: L1-R1' },
      'timeline[0].fault.equipment: L1-R1 is a robot-arm; expected a conveyor (line 10)',
    ],
    [
      'a step after the end',
      { 11: '  - atS: 700' },
      'timeline[1].atS: after the end (durationS 600) (line 11)',
    ],
    [
      'a step doing two things',
      { 12: '    message: Reset the jam.\n    clear: { equipment: L1-C2 }' },
      'timeline[1]: expected exactly one of: fault, clear, set, message, command (line 11)',
    ],
    [
      'an unknown alarm rule',
      { 15: '    rule: conveyor-flt' },
      'expectations[0].rule: unknown alarm rule "conveyor-flt" (expected one of: arm-joint-temp-high, arm-joint-temp-hh, arm-current-high, arm-vibration-zone-c, arm-vibration-zone-d, conveyor-vibration-zone-c, conveyor-vibration-zone-d, equipment-fault … and 18 more) (line 15)',
    ],
    [
      'a rule that does not watch the equipment',
      { 15: '    rule: agv-fault' },
      'expectations[0].rule: alarm rule "agv-fault" does not watch L1-C2 (a conveyor); it watches every agv (line 15)',
    ],
    ['a missing field', { 5: null }, 'durationS: expected a duration in seconds from 10 to 43200 (line 1)'],
    [
      'a wrong type',
      { 17: '    withinS: soon' },
      'expectations[0].withinS: expected a time in seconds from 1 to 43200 (line 17)',
    ],
    [
      'a command the equipment does not offer',
      { 12: '    command: { equipment: AGV-01, action: stop }' },
      'timeline[1].command.action: "stop" is not a command of an agv (expected one of: pause, resume, go-to, dock) (line 12)',
    ],
    [
      'a go-to without a node',
      { 12: '    command: { equipment: AGV-01, action: go-to }' },
      'timeline[1].command.node: go-to needs a "node" (line 12)',
    ],
    [
      'an unknown path node',
      { 9: '      kind: agv-breakdown', 10: '      equipment: AGV-02\n      atNode: HA-99' },
      'timeline[0].fault.atNode: unknown path node "HA-99" (expected one of: HA-05, HA-12, HA-18, HA-25, HA-31, HA-38, HA-45, TA-05 … and 49 more) (line 11)',
    ],
    [
      'an unknown line',
      { 9: '      kind: power-dip', 10: '      line: L7' },
      'timeline[0].fault.line: unknown line "L7" (expected one of: L1, L2, L3) (line 10)',
    ],
    ['a speed out of range', { 4: 'speed: 80' }, 'speed: expected a speed from 0.1 to 50 (line 4)'],
  ])('names the path and line of %s', (_, edits, error) => {
    expect(errorsOf(yaml(edits))).toEqual([error]);
  });

  it('reports every problem of a file at once', () => {
    const errors = errorsOf(yaml({ 4: 'speed: 80', 9: '      kind: nope', 17: '    withinS: -1' }));
    expect(errors.map((e) => e.replace(/:.*\(line/, ' (line'))).toEqual([
      'speed (line 4)',
      'timeline[0].fault.kind (line 9)',
      'expectations[0].withinS (line 17)',
    ]);
  });

  it('names the line of a YAML syntax error and of a duplicate key', () => {
    const [indent] = errorsOf(yaml({ 10: '     equipment: [L1-C2' }));
    expect(indent).toMatch(/^\(root\): not valid YAML: .* \(line 1[01]\)$/);
    expect(errorsOf(yaml({ 3: 'name: Again' }))).toEqual([
      expect.stringMatching(/^\(root\): not valid YAML: Map keys must be unique.* \(line 3\)$/),
    ]);
  });

  it('names the path and line of problems in a JSON file', () => {
    const json = [
      '{', // 1
      '  "name": "Jam drill", "description": "d", "learningGoal": "g", "durationS": 600,', // 2
      '  "timeline": [', // 3
      '    { "atS": 10, "fault": { "kind": "conveyor-jam", "equipment": "L1-C2" } },', // 4
      '    { "atS": 20,', // 5
      '      "fault": { "kind": "cell-outage", "equipment": "5G-C9" } }', // 6
      '  ],', // 7
      '  "expectations": [{ "type": "line-running", "line": "L1", "byS": 900 }]', // 8
      '}',
    ];
    expect(errorsOf(json.join('\n'), 'json')).toEqual([
      'expectations[0].byS: after the end (durationS 600) (line 8)',
    ]);
    json[8 - 1] = '  "expectations": []';
    expect(errorsOf(json.join('\n'), 'json')).toEqual([
      'timeline[1].fault.equipment: unknown base-station "5G-C9" (expected one of: 5G-C1, 5G-C2, 5G-C3, 5G-C4, 5G-C5, 5G-C6, 5G-M1) (line 6)',
    ]);
    json[7 - 1] = '  ],,';
    expect(errorsOf(json.join('\n'), 'json')).toEqual([
      expect.stringMatching(/^\(root\): not valid JSON: .*\(line 7\b/),
    ]);
  });

  it('reads files by extension, takes the id from the file name unless the file names one, and refuses others', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scenarios-'));
    writeFileSync(join(dir, 'jam-drill.yaml'), yaml());
    writeFileSync(join(dir, 'named.yml'), `id: morning-drill\n${yaml()}`);
    writeFileSync(join(dir, 'notes.txt'), 'not a scenario');
    const a = loadScenarioFile(join(dir, 'jam-drill.yaml'));
    const b = loadScenarioFile(join(dir, 'named.yml'));
    expect([a.ok && a.scenario.id, b.ok && b.scenario.id]).toEqual(['jam-drill', 'morning-drill']);
    expect(loadScenarioFile(join(dir, 'notes.txt'))).toEqual({
      ok: false,
      errors: [`${join(dir, 'notes.txt')}: expected a .yaml, .yml or .json file`],
    });
    expect(loadScenarioFile(join(dir, 'missing.yaml'))).toEqual({
      ok: false,
      errors: ['cannot read file (ENOENT)'],
    });
  });

  it('resolves a plant path next to the scenario file and reports a plant that cannot be read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scenarios-'));
    writeFileSync(join(dir, 'elsewhere.yaml'), yaml({ 4: 'plant: plants/none.json' }));
    const r = loadScenarioFile(join(dir, 'elsewhere.yaml'));
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors).toEqual([
        `plant: ${join(dir, 'plants/none.json')}: cannot read file (ENOENT) (line 4)`,
      ]);
  });

  it('loads a folder: good files by id, bad ones reported with their file name, duplicate ids refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scenarios-'));
    writeFileSync(join(dir, 'a.yaml'), `id: drill\n${yaml()}`);
    writeFileSync(join(dir, 'b.yaml'), `id: drill\n${yaml()}`);
    writeFileSync(join(dir, 'c.json'), '{ "name": 3 }');
    const lib = loadScenarioLibrary(dir);
    expect([...lib.scenarios.keys()]).toEqual(['drill']);
    expect(lib.errors[0]).toBe('b.yaml: duplicate scenario id "drill"');
    expect(lib.errors.slice(1).every((e) => e.startsWith('c.json: '))).toBe(true);
    expect(lib.errors).toContain(
      'c.json: name: expected a text string or { "en": "...", "zh-CN": "..." } (line 1)',
    );
  });
});
