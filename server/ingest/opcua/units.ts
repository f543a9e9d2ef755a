import type { SignalDef } from '../../../protocol';

/**
 * Checking a server's EngineeringUnits against the signal catalog. OPC UA servers describe units
 * with EUInformation: a UNECE Recommendation 20 common code packed into `unitId` (namespace
 * http://www.opcfoundation.org/UA/units/un/cefact) and a display name that varies by vendor
 * ('°C', 'degC', '%', 'percent'). A mismatch is only reported: a wrong unit in the file or on the
 * device is for a person to judge, and refusing the data would blind the operator.
 */

/** What a server says about a variable's unit (the fields of EUInformation we use). */
export interface EngineeringUnits {
  /** UNECE common code packed in an Int32, or -1 / 0 when not given. */
  unitId: number;
  displayName: string;
  description: string;
}

/** Per catalog unit: its UNECE common codes and the names servers use for it. */
interface UnitNames {
  codes: readonly string[];
  /** Symbols, compared exactly ('ms' is not 'Ms'). */
  symbols: readonly string[];
  /** Words, compared without case. */
  words: readonly string[];
}

const UNITS: Readonly<Record<string, UnitNames>> = {
  '°C': { codes: ['CEL'], symbols: ['°C', '℃', 'degC', 'deg C', 'C'], words: ['degree celsius', 'celsius'] },
  '%': { codes: ['P1'], symbols: ['%'], words: ['percent', 'pct'] },
  A: { codes: ['AMP'], symbols: ['A'], words: ['ampere', 'amp', 'amps'] },
  'm/s': {
    codes: ['MTS'],
    symbols: ['m/s', 'm·s⁻¹', 'm s-1'],
    words: ['metre per second', 'meter per second'],
  },
  'mm/s': {
    codes: ['C16'],
    symbols: ['mm/s', 'mm·s⁻¹', 'mm s-1'],
    words: ['millimetre per second', 'millimeter per second'],
  },
  rpm: {
    codes: ['RPM'],
    symbols: ['r/min', 'rpm', 'RPM', '1/min', 'min⁻¹', 'min-1'],
    words: ['revolutions per minute'],
  },
  kW: { codes: ['KWT'], symbols: ['kW'], words: ['kilowatt'] },
  ms: { codes: ['C26'], symbols: ['ms'], words: ['millisecond'] },
  s: { codes: ['SEC'], symbols: ['s', 'sec'], words: ['second'] },
  dB: { codes: ['2N'], symbols: ['dB'], words: ['decibel'] },
  dBm: { codes: [], symbols: ['dBm', 'dBmW'], words: ['decibel-milliwatts', 'decibel milliwatt'] },
  'Mbit/s': { codes: ['E20'], symbols: ['Mbit/s', 'Mbps', 'Mb/s'], words: ['megabit per second'] },
  rad: { codes: ['C81'], symbols: ['rad'], words: ['radian'] },
  kg: { codes: ['KGM'], symbols: ['kg'], words: ['kilogram'] },
  m: { codes: ['MTR'], symbols: ['m'], words: ['metre', 'meter'] },
  '1/s': { codes: [], symbols: ['1/s', 's⁻¹', 's-1', '/s'], words: ['per second'] },
  'units/min': { codes: [], symbols: ['units/min', '1/min', '/min'], words: ['units per minute'] },
};

/** The UNECE common code packed in a unitId ('CEL' from 0x43454C), or null. */
export function commonCodeOf(unitId: number): string | null {
  if (!Number.isInteger(unitId) || unitId <= 0 || unitId > 0xffffff) return null;
  let code = '';
  for (let shift = 16; shift >= 0; shift -= 8) {
    const c = (unitId >>> shift) & 0xff;
    if (c) code += String.fromCharCode(c);
  }
  return /^[0-9A-Z]{2,3}$/.test(code) ? code : null;
}

/** How the server's unit reads in a message: display name, else the common code. */
export function unitText(eu: EngineeringUnits): string {
  return eu.displayName || eu.description || commonCodeOf(eu.unitId) || `unitId ${eu.unitId}`;
}

/**
 * Whether the server's unit is the catalog's: true, false, or null when it cannot be told (a
 * dimensionless catalog unit, or nothing usable from the server).
 */
export function sameUnit(catalogUnit: string, eu: EngineeringUnits): boolean | null {
  if (catalogUnit === '') return null;
  const names = UNITS[catalogUnit];
  const code = commonCodeOf(eu.unitId);
  // A common code is unambiguous: trust it over the display name when we know the unit's codes.
  if (code && names?.codes.length) return names.codes.includes(code);
  const shown = eu.displayName.trim();
  const said = eu.description.trim().toLowerCase();
  if (!shown && !said) return null;
  if (!names) return shown === catalogUnit;
  if (shown && (shown === catalogUnit || names.symbols.includes(shown))) return true;
  const lower = shown.toLowerCase();
  if (names.words.includes(lower) || names.words.includes(said)) return true;
  return false;
}

/** Why a node's unit does not fit its signal, or null when it fits or cannot be told. */
export function unitMismatch(node: string, def: SignalDef, eu: EngineeringUnits): string | null {
  return sameUnit(def.unit, eu) === false
    ? `unit check: node ${node} is in "${unitText(eu)}" (EngineeringUnits), but ${def.key} is in ${def.unit}`
    : null;
}

/** Why a node's EURange cannot be the signal's (it does not overlap the catalog range), or null. */
export function rangeMismatch(node: string, def: SignalDef, low: number, high: number): string | null {
  if (!Number.isFinite(low) || !Number.isFinite(high) || low > high) return null;
  return high < def.min || low > def.max
    ? `unit check: node ${node} has EURange ${low}..${high}, outside ${def.key}'s range ${def.min}..${def.max} ${def.unit}`
    : null;
}
