import { z } from 'zod';
import { MAX_LOGIN_PASSWORD, MAX_LOGIN_USERNAME } from '../limits';

/**
 * `POST /api/login { username, password }`. Only the shape and a generous length are checked here;
 * the auth core checks the name and password rules again, with their own messages.
 */
export const loginSchema = z
  .object({
    username: z.string().max(MAX_LOGIN_USERNAME),
    password: z.string().max(MAX_LOGIN_PASSWORD),
  })
  .strict();
export type LoginRequest = z.input<typeof loginSchema>;
