import { type EUInformation, makeEUInformation } from 'node-opcua';

/**
 * OPC UA EngineeringUnits of the catalog's unit symbols (UNECE Recommendation 20 common codes, as
 * OPC UA Part 8 asks): the display name is the catalog's symbol, so a client shows the same unit as
 * the twin's inspector.
 */
const UNECE: Readonly<Record<string, [code: string, name: string]>> = {
  '°C': ['CEL', 'degree Celsius'],
  '%': ['P1', 'percent'],
  kW: ['KWT', 'kilowatt'],
  ms: ['C26', 'millisecond'],
  s: ['SEC', 'second'],
  'Mbit/s': ['E20', 'megabit per second'],
  '1/s': ['C97', 'reciprocal second'],
  A: ['AMP', 'ampere'],
  rad: ['C81', 'radian'],
  'm/s': ['MTS', 'metre per second'],
  'mm/s': ['C16', 'millimetre per second'],
  m: ['MTR', 'metre'],
  kg: ['KGM', 'kilogram'],
  rpm: ['RPM', 'revolutions per minute'],
  dBm: ['2Q', 'decibel-milliwatts'],
  dB: ['2N', 'decibel'],
  '': ['C62', 'one'],
};

/** EUInformation of a catalog unit (an unknown symbol keeps its text with unitId -1). */
export function engineeringUnits(unit: string): EUInformation {
  const known = UNECE[unit];
  if (known) return makeEUInformation(known[0], unit, known[1]);
  const eu = makeEUInformation('', unit, unit);
  eu.unitId = -1;
  return eu;
}
