import { describe, expect, it } from 'vitest';
import type { Layout } from '../../../protocol';
import { compileJsonPath, readJsonPath } from '../../../protocol';
import { parseSourcesText } from '../../../server/ingest/sourcesFile';
import { DEFAULT_PLANT, loadPlantFile } from '../../../server/plantFile';

const plant = loadPlantFile(DEFAULT_PLANT);
if (!plant.ok) throw new Error('default plant');
const layout: Layout = plant.layout;
const ALL = ['vda5050', 'sparkplug', 'opcua', 'mqtt-json'] as const;

/** The example of the issue: every kind. */
const EXAMPLE = `sources:
  - id: fleet
    kind: vda5050
    broker: mqtt://127.0.0.1:1883
    interfaceName: uagv
    majorVersion: v2
    agvs:
      - equipment: AGV-01
        manufacturer: Acme
        serialNumber: "0001"
        map: { mapId: hall, origin: [0, 0], rotationDeg: 0 }
  - id: lines
    kind: sparkplug
    broker: mqtt://127.0.0.1:1883
    hostId: plant-twin
    devices:
      - equipment: L1-R2
        group: PlantA
        node: Line1
        device: Robot2
        metrics: { j1Temp: Joint1/Temperature, current: Motor/Current }
  - id: utilities
    kind: opcua
    endpoint: opc.tcp://127.0.0.1:4840
    items:
      - equipment: RK-01
        signals: { stock: "nsu=urn:plant:utilities;s=RK-01.Stock" }
  - id: uns
    kind: mqtt-json
    broker: mqtt://127.0.0.1:1883
    topics:
      - topic: acme/shenzhen/hall-a/line1/conveyor1
        equipment: L1-C1
        fields: { beltSpeed: $.belt.speed, state: $.status }
unmapped: offline
`;

describe('sources file', () => {
  it('accepts the four kinds of the example, with defaults filled in', () => {
    const r = parseSourcesText(EXAMPLE, 'yaml', layout, ALL);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.file.sources.map((s) => s.kind)).toEqual(['vda5050', 'sparkplug', 'opcua', 'mqtt-json']);
    expect(r.file.sources.every((s) => s.commands === false)).toBe(true);
    const ua = r.file.sources[2];
    expect(ua.kind === 'opcua' && ua.securityMode).toBe('SignAndEncrypt');
  });

  it('refuses the kinds this version cannot run yet, naming them and their line', () => {
    const r = parseSourcesText(EXAMPLE, 'yaml', layout, ['mqtt-json']);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toContain(
      'sources[0].kind: not supported yet: vda5050 (this version runs mqtt-json) (line 3)',
    );
    expect(r.errors.some((e) => e.startsWith('sources[1].kind: not supported yet: sparkplug'))).toBe(true);
    expect(r.errors.some((e) => e.startsWith('sources[2].kind: not supported yet: opcua'))).toBe(true);
    expect(r.errors).toHaveLength(3);
  });

  it('names unknown equipment, a kind that does not fit and an unknown signal with their lines', () => {
    const text = EXAMPLE.replace('equipment: AGV-01', 'equipment: L1-R1')
      .replace('equipment: L1-C1', 'equipment: NOPE-9')
      .replace('j1Temp: Joint1', 'beltSpeed: Joint1');
    const r = parseSourcesText(text, 'yaml', layout, ALL);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      'sources[0].agvs[0].equipment: "L1-R1" is a robot-arm; vda5050 feeds agv only (line 8)',
      'sources[1].devices[0].metrics.beltSpeed: "beltSpeed" is not a signal of a robot-arm (line 21)',
      'sources[3].topics[0].equipment: no equipment "NOPE-9" in the plant (line 33)',
    ]);
  });

  it('refuses a broker URL that is not mqtt(s), an unsupported JSONPath and an unknown field', () => {
    const text = EXAMPLE.replace('broker: mqtt://127.0.0.1:1883\n    topics', 'broker: http://x\n    topics')
      .replace('$.belt.speed', '"$..speed[?(@.x)]"')
      .replace('unmapped: offline', 'unmapped: offline\nextra: 1');
    const r = parseSourcesText(text, 'yaml', layout, ALL);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.some((e) => /^sources\[3\]\.broker: expected mqtt:\/\/.*\(line 30\)$/.test(e))).toBe(
      true,
    );
    expect(
      r.errors.some((e) =>
        /^sources\[3\]\.topics\[0\]\.fields\.beltSpeed: not a supported JSONPath.*\(line 34\)$/.test(e),
      ),
    ).toBe(true);
    expect(r.errors).toContain('extra: unknown field (line 36)');
  });

  it('refuses equipment fed by two sources and duplicate source ids', () => {
    const text = `{"sources": [
  {"id": "a", "kind": "mqtt-json", "broker": "mqtt://h", "topics": [{"topic": "t/1", "equipment": "L1-C1", "fields": {"beltSpeed": "$.v"}}]},
  {"id": "a", "kind": "mqtt-json", "broker": "mqtt://h", "topics": [{"topic": "t/2", "equipment": "L1-C1", "fields": {"beltSpeed": "$.v"}}]}
]}`;
    const r = parseSourcesText(text, 'json', layout);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      'sources[1].id: duplicate source id "a" (line 3)',
      'sources[1].topics[0].equipment: "L1-C1" is already fed by source "a" (line 3)',
    ]);
  });

  it('reports a YAML syntax error with its line', () => {
    const r = parseSourcesText('sources:\n  - id: [x\n', 'yaml', layout);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/not valid YAML.*line \d/);
  });
});

describe('safe JSONPath subset', () => {
  it('reads names, quoted names and indexes and nothing from the prototype', () => {
    const p = (s: string) => {
      const c = compileJsonPath(s);
      if (!c.ok) throw new Error(c.error);
      return c.steps;
    };
    const doc = { belt: { speed: 0.4, 'motor temp': [1, 2, 3] } };
    expect(readJsonPath(doc, p('$.belt.speed'))).toBe(0.4);
    expect(readJsonPath(doc, p("$.belt['motor temp'][2]"))).toBe(3);
    expect(readJsonPath(doc, p('$'))).toBe(doc);
    expect(readJsonPath(doc, p('$.constructor'))).toBeUndefined();
    expect(readJsonPath(doc, p('$.belt.__proto__'))).toBeUndefined();
    expect(compileJsonPath('$..x').ok).toBe(false);
    expect(compileJsonPath('$.a[*]').ok).toBe(false);
    expect(compileJsonPath('$[?(@.a)]').ok).toBe(false);
    expect(compileJsonPath('a.b').ok).toBe(false);
  });
});
