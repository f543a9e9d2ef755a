import type { MachineState } from '../protocol';

/**
 * One palette for the whole client (ISA-101 high-performance HMI): the plant is calm gray, and
 * color appears only where something is abnormal. Scene and HUD both read from here.
 */
export const palette = {
  /** Scene background and fog. */
  background: '#2e3338',
  floor: '#3b4147',
  floorLine: '#474e55',
  zoneHall: '#41474e',
  zoneWarehouse: '#3f4650',
  zoneOutdoor: '#37403a',
  wall: '#565e66',
  /** Equipment bodies in normal operation. */
  equipment: '#b9bec3',
  equipmentDark: '#7d848b',
  equipmentAccent: '#d7dadd',
  /** Selection highlight (not an alarm color). */
  selection: '#ffffff',
  /** HUD. */
  hudBg: 'rgba(28, 32, 36, 0.86)',
  hudBorder: 'rgba(255, 255, 255, 0.08)',
  text: '#e7eaec',
  textDim: '#a7aeb5',
  live: '#5fbf7f',
} as const;

/** Alarm priority colors (ISA-18.2 priorities; used by the alarm issue). */
export const priorityColor = {
  critical: '#e5483b',
  high: '#f08c2e',
  medium: '#e8c33a',
  low: '#3bb4e5',
} as const;

/**
 * Shape per priority, the same in the list (this glyph) and in the 3D scene (the marker's
 * outline): triangle, diamond, square, circle — priority is never told by color alone.
 */
export const priorityShape = {
  critical: 'triangle',
  high: 'diamond',
  medium: 'square',
  low: 'circle',
} as const;

/** The priority's shape as a text glyph, for chips and filters. */
export const priorityGlyph = {
  critical: '▲',
  high: '◆',
  medium: '■',
  low: '●',
} as const;

/** Text on a filled priority chip (dark on every priority color: contrast >= 4.5:1). */
export const chipTextDark = '#0b0d0f';
/** Text on the dark offline chip. */
export const chipTextLight = '#f4f5f6';

/**
 * Color per machine state. Normal states stay gray; abnormal ones are colored so they are seen
 * across the room. Offline is dark and dimmed (never looks live); maintenance is a distinct violet.
 */
export const stateColor: Readonly<Record<MachineState, string>> = {
  running: palette.equipment,
  idle: '#a3a9ae',
  blocked: '#f08c2e',
  starved: '#e8c33a',
  fault: '#e5483b',
  maintenance: '#9c6ade',
  offline: '#585e64',
};

/** Text color on an abnormal state's filled chip, chosen for contrast >= 4.5:1 (a test checks it). */
export const stateTextColor: Readonly<Record<MachineState, string>> = {
  running: chipTextDark,
  idle: chipTextDark,
  blocked: chipTextDark,
  starved: chipTextDark,
  fault: chipTextDark,
  maintenance: chipTextDark,
  offline: chipTextLight,
};

/**
 * Data quality (ISA-101: stale or doubtful data never looks live). Stale and bad data are grayed
 * and hatched (no hue of their own); uncertain data keeps its colors with muted amber dashes;
 * simulated stand-ins for real equipment are a steel-blue ghost, the same blue as the SIM tags.
 */
export const qualityColor = {
  /** Dashes over uncertain equipment, and the uncertain badge's edge. */
  uncertain: '#d8a24a',
  /** Hatch lines over stale and bad equipment (and the HUD's hatched badge). */
  hatch: '#2a2d30',
  /** Stand-in ghost tint and its "Simulated" badge. */
  standIn: '#8fb3d9',
} as const;
