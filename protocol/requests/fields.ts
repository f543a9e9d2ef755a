import { z } from 'zod';

/**
 * Small field builders shared by the request schemas and the server's scenario file schema, so that
 * both word their refusals the same way.
 */

/** A number from `min` to `max`, refused as "expected {what} from {min} to {max}". */
export const numberIn = (min: number, max: number, what = 'a number') =>
  z
    .number({ error: `expected ${what} from ${min} to ${max}` })
    .min(min, { error: `expected ${what} from ${min} to ${max}` })
    .max(max, { error: `expected ${what} from ${min} to ${max}` });

/** A reference to something by id (checked against the plant later), 1–64 characters. */
export const idRef = (what: string) =>
  z
    .string({ error: `expected ${what} id` })
    .min(1, { error: `expected ${what} id` })
    .max(64);

/** true or false. */
export const bool = z.boolean({ error: 'expected true or false' });
