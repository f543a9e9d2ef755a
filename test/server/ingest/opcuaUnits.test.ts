import { describe, expect, it } from 'vitest';
import { type SourceConfig, signalsOf, sourceSchema } from '../../../protocol';
import { type AdapterContext, adapterFor } from '../../../server/ingest/adapters';
import { Q } from '../../../server/ingest/liveValues';
import { epochMsOf, numberOf, qualityOfStatus, stateKeyOf } from '../../../server/ingest/opcua/dataValues';
import { parseNsuNodeId } from '../../../server/ingest/opcua/nodeIds';
import { commonCodeOf, rangeMismatch, sameUnit, unitMismatch } from '../../../server/ingest/opcua/units';

/** UNECE common code -> EUInformation.unitId (OPC UA Part 8, 5.6.3). */
const unitId = (code: string) => [...code].reduce((id, c) => id * 256 + c.charCodeAt(0), 0);
const eu = (code: string, displayName = '', description = '') => ({
  unitId: code ? unitId(code) : -1,
  displayName,
  description,
});
const conveyor = signalsOf('conveyor');
const beltSpeed = conveyor.find((d) => d.key === 'beltSpeed');
if (!beltSpeed) throw new Error('no beltSpeed');

describe('OPC UA units, node ids and values', () => {
  it('reads UNECE common codes out of a unitId', () => {
    expect(commonCodeOf(4408652)).toBe('CEL');
    expect(commonCodeOf(unitId('P1'))).toBe('P1');
    expect(commonCodeOf(-1)).toBeNull();
    expect(commonCodeOf(0x010203)).toBeNull();
  });

  it('accepts the names and codes servers use for a catalog unit', () => {
    expect(sameUnit('°C', eu('CEL', '°C'))).toBe(true);
    expect(sameUnit('°C', eu('', 'degC'))).toBe(true);
    expect(sameUnit('%', eu('', 'percent'))).toBe(true);
    expect(sameUnit('%', eu('P1'))).toBe(true);
    expect(sameUnit('rpm', eu('RPM', 'r/min'))).toBe(true);
    expect(sameUnit('m/s', eu('', '', 'metre per second'))).toBe(true);
    expect(sameUnit('ms', eu('', 'ms'))).toBe(true);
  });

  it('tells a different unit apart, trusting the common code over a display name', () => {
    expect(sameUnit('m/s', eu('C16', 'mm/s'))).toBe(false);
    expect(sameUnit('°C', eu('FAH', '°F'))).toBe(false);
    expect(sameUnit('ms', eu('', 'Ms'))).toBe(false);
    // A wrong label with the right code: the code decides.
    expect(sameUnit('kW', eu('KWT', 'kilowatts (approx)'))).toBe(true);
  });

  it('says nothing when it cannot tell (no unit from the server, a dimensionless signal)', () => {
    expect(sameUnit('m/s', eu(''))).toBeNull();
    expect(sameUnit('', eu('MTS', 'm/s'))).toBeNull();
  });

  it('names the node and both units in a mismatch, and checks EURange against the catalog range', () => {
    expect(unitMismatch('nsu=urn:a;s=B', beltSpeed, eu('C16', 'mm/s'))).toBe(
      'unit check: node nsu=urn:a;s=B is in "mm/s" (EngineeringUnits), but beltSpeed is in m/s',
    );
    expect(unitMismatch('n', beltSpeed, eu('MTS', 'm/s'))).toBeNull();
    expect(rangeMismatch('n', beltSpeed, 100, 2000)).toContain('EURange 100..2000, outside beltSpeed');
    expect(rangeMismatch('n', beltSpeed, 0, 2000)).toBeNull();
    expect(rangeMismatch('n', beltSpeed, Number.NaN, 1)).toBeNull();
  });

  it('parses nsu node ids of every identifier type and refuses malformed ones', () => {
    expect(parseNsuNodeId('nsu=urn:plant:a;s=Line 1.Speed')).toMatchObject({
      ok: true,
      node: { uri: 'urn:plant:a', kind: 's', id: 'Line 1.Speed' },
    });
    expect(parseNsuNodeId('nsu=http://x/UA/;i=6001').ok).toBe(true);
    expect(parseNsuNodeId('nsu=urn:a;g=09087e75-8e5e-499b-954f-f2a9603db28a').ok).toBe(true);
    expect(parseNsuNodeId('nsu=urn:a;b=M/RbKBsRVkePCePcx24oRA==').ok).toBe(true);
    expect(parseNsuNodeId('ns=2;s=X').ok).toBe(false);
    expect(parseNsuNodeId('nsu=urn:a;i=12x').ok).toBe(false);
    expect(parseNsuNodeId('nsu=urn:a;i=4294967296').ok).toBe(false);
    expect(parseNsuNodeId('nsu=urn:a;g=not-a-guid').ok).toBe(false);
  });

  it('maps StatusCode severities to qualities', () => {
    expect(qualityOfStatus(0)).toBe(Q.good);
    expect(qualityOfStatus(0x00a20000)).toBe(Q.good); // GoodClamped-like info bits
    expect(qualityOfStatus(0x40900000)).toBe(Q.uncertain);
    expect(qualityOfStatus(0x80340000)).toBe(Q.bad);
    expect(qualityOfStatus(0xc0000000)).toBe(Q.bad);
  });

  it('takes numbers and booleans, and nothing else, from a variant', () => {
    expect(numberOf({ dataType: 11, arrayType: 0, value: 1.5 })).toBe(1.5);
    expect(numberOf({ dataType: 6, arrayType: 0, value: -7 })).toBe(-7);
    expect(numberOf({ dataType: 1, arrayType: 0, value: true })).toBe(1);
    expect(numberOf({ dataType: 1, arrayType: 0, value: false })).toBe(0);
    expect(numberOf({ dataType: 9, arrayType: 0, value: [1, 5] })).toBe(4294967301);
    expect(numberOf({ dataType: 8, arrayType: 0, value: [-1, 0xfffffffe] })).toBe(-2);
    for (const bad of [
      { dataType: 11, arrayType: 0, value: Number.NaN },
      { dataType: 11, arrayType: 0, value: Number.POSITIVE_INFINITY },
      { dataType: 12, arrayType: 0, value: '3.5' },
      { dataType: 11, arrayType: 1, value: [1, 2] },
      { dataType: 0, arrayType: 0, value: null },
    ])
      expect(numberOf(bad), JSON.stringify(bad)).toBeNaN();
    expect(numberOf(null)).toBeNaN();
  });

  it('reads state keys and OPC UA DateTimes', () => {
    expect(stateKeyOf({ dataType: 6, arrayType: 0, value: 3 })).toBe('3');
    expect(stateKeyOf({ dataType: 12, arrayType: 0, value: 'RUNNING' })).toBe('RUNNING');
    expect(stateKeyOf({ dataType: 1, arrayType: 0, value: true })).toBe('true');
    expect(stateKeyOf({ dataType: 12, arrayType: 1, value: ['a'] })).toBeNull();
    expect(epochMsOf(new Date(1_700_000_000_000))).toBe(1_700_000_000_000);
    expect(epochMsOf(new Date(Date.UTC(1601, 0, 1)))).toBeNaN();
    expect(epochMsOf(null)).toBeNaN();
  });
});

describe('OPC UA source checks at start', () => {
  const ctx = { env: { UA_PW: 'x' }, dataDir: '/nonexistent' } as unknown as AdapterContext;
  const source = (extra: Record<string, unknown>, signal = 'nsu=urn:a;s=B'): SourceConfig =>
    sourceSchema.parse({
      id: 'plc',
      kind: 'opcua',
      endpoint: 'opc.tcp://plc:4840',
      items: [{ equipment: 'L1-C1', signals: { beltSpeed: signal } }],
      ...extra,
    });
  const errors = (s: SourceConfig) => {
    const r = adapterFor(s, ctx);
    return r.ok ? [] : r.errors;
  };

  it('stops the server on a missing password, a password without a user, or a malformed node id', () => {
    expect(errors(source({ username: 'twin', passwordEnv: 'NOPE' }))).toEqual([
      'source "plc": environment variable NOPE is not set',
    ]);
    expect(errors(source({ username: 'twin' }))).toEqual([
      'source "plc": username needs passwordEnv or passwordFile',
    ]);
    expect(errors(source({ passwordEnv: 'UA_PW' }))).toEqual([
      'source "plc": passwordEnv/passwordFile need a username',
    ]);
    expect(errors(source({ username: 'twin', passwordFile: '/nonexistent/pw' }))[0]).toMatch(
      /^source "plc": passwordFile \/nonexistent\/pw: cannot read file \(ENOENT\)$/,
    );
    expect(errors(source({}, 'nsu=urn:a;i=12x'))).toEqual([
      'source "plc": "nsu=urn:a;i=12x": i= expects a whole number 0..4294967295',
    ]);
    expect(errors(source({ username: 'twin', passwordEnv: 'UA_PW' }))).toEqual([]);
  });

  it('defaults to SignAndEncrypt', () => {
    const s = source({});
    expect(s.kind === 'opcua' && s.securityMode).toBe('SignAndEncrypt');
  });
});
