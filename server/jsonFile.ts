import { readFileSync } from 'node:fs';

export type JsonFileResult = { ok: true; json: unknown } | { ok: false; errors: string[] };

/**
 * Reads a JSON file for validation (plant layouts, alarm rules). Never throws: a missing file, one
 * over `maxBytes` or bad JSON comes back as one message that names the file.
 */
export function readJsonFile(path: string, maxBytes: number): JsonFileResult {
  let text: string;
  try {
    const buf = readFileSync(path);
    if (buf.byteLength > maxBytes)
      return { ok: false, errors: [`${path}: file is ${buf.byteLength} bytes; the limit is ${maxBytes}`] };
    text = buf.toString('utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { ok: false, errors: [`${path}: cannot read file (${e.code ?? e.message})`] };
  }
  try {
    return { ok: true, json: JSON.parse(text) };
  } catch (err) {
    return { ok: false, errors: [`${path}: not valid JSON (${(err as Error).message})`] };
  }
}
