import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type LayoutResult, parseLayout } from '../protocol';

/** The built-in plant. */
export const DEFAULT_PLANT = fileURLToPath(new URL('../assets/plants/default.json', import.meta.url));

/** Plant files larger than this are refused before parsing (a layout of 60,000 machines is ~15 MB). */
const MAX_PLANT_BYTES = 32 * 1024 * 1024;

/**
 * Reads and validates a plant layout file. Never throws: a missing file, bad JSON or a schema
 * problem comes back as messages (`equipment[12].position: expected 3 numbers`).
 */
export function loadPlantFile(path: string): LayoutResult {
  let text: string;
  try {
    const buf = readFileSync(path);
    if (buf.byteLength > MAX_PLANT_BYTES)
      return {
        ok: false,
        errors: [`${path}: file is ${buf.byteLength} bytes; the limit is ${MAX_PLANT_BYTES}`],
      };
    text = buf.toString('utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { ok: false, errors: [`${path}: cannot read file (${e.code ?? e.message})`] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, errors: [`${path}: not valid JSON (${(err as Error).message})`] };
  }
  return parseLayout(json);
}
