/** The consoles the client can show; trainer joins this list later. */
export type Mode = 'operator' | 'showcase';

/** Console paths; `/` is the operator console. */
const MODE_BY_PATH: Readonly<Record<string, Mode>> = {
  '/': 'operator',
  '/operator': 'operator',
  '/showcase': 'showcase',
};

/** The console for a URL path (trailing slash ignored); unknown paths open the operator console. */
export function modeFromPath(pathname: string): Mode {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  return MODE_BY_PATH[path] ?? 'operator';
}
