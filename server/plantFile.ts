import { join } from 'node:path';
import { type LayoutResult, parseLayout } from '../protocol';
import { readJsonFile } from './jsonFile';
import { ASSETS } from './paths';

/** The built-in plant. */
export const DEFAULT_PLANT = join(ASSETS, 'plants', 'default.json');

/** Plant files larger than this are refused before parsing (a layout of 60,000 machines is ~15 MB). */
const MAX_PLANT_BYTES = 32 * 1024 * 1024;

/**
 * Reads and validates a plant layout file. Never throws: a missing file, bad JSON or a schema
 * problem comes back as messages (`equipment[12].position: expected 3 numbers`).
 */
export function loadPlantFile(path: string): LayoutResult {
  const file = readJsonFile(path, MAX_PLANT_BYTES);
  return file.ok ? parseLayout(file.json) : file;
}
