import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';

/**
 * Brotli quality for recorded blobs (keyframes, items, group states): the best ratio. They are a
 * few KB each and compressed in the recording worker, off the tick, so the cost does not matter.
 */
const QUALITY = 11;

/** Compresses a recorded blob (brotli). */
export function pack(bytes: Uint8Array): Buffer {
  return brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
}

/** Compresses a value as JSON. */
export function packJson(value: unknown): Buffer {
  return pack(Buffer.from(JSON.stringify(value)));
}

/** Decompresses a recorded blob; throws on corrupt data. */
export function unpack(blob: Uint8Array): Buffer {
  return brotliDecompressSync(blob);
}

/** Decompresses and parses a JSON blob. */
export function unpackJson<T>(blob: Uint8Array): T {
  return JSON.parse(unpack(blob).toString('utf8')) as T;
}
