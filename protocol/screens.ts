/**
 * The screens (consoles) a client connects from. The client names its screen in the Socket.IO
 * handshake (`auth.screen`) so the server can count connections by screen; anything else is
 * counted as `unknown`.
 */
export const SCREENS = ['operator', 'showcase', 'trainer', 'trainee', 'replay', 'design'] as const;
export type Screen = (typeof SCREENS)[number];

/** The screen a handshake names, or 'unknown' for anything that is not one (never trusted as is). */
export function screenOf(value: unknown): Screen | 'unknown' {
  return typeof value === 'string' && (SCREENS as readonly string[]).includes(value)
    ? (value as Screen)
    : 'unknown';
}
