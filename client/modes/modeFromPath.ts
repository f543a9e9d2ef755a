/** The consoles the client can show. */
export type Mode = 'operator' | 'showcase' | 'trainer' | 'trainee' | 'replay' | 'design';

/** Console paths; `/` is the operator console. */
const MODE_BY_PATH: Readonly<Record<string, Mode>> = {
  '/': 'operator',
  '/operator': 'operator',
  '/showcase': 'showcase',
  '/trainer': 'trainer',
};

/**
 * The console for a URL path (trailing slash ignored); `/train/CODE` joins a training session
 * (`/train` alone asks for a code); `/replay` lists recordings and `/replay/ID` replays one;
 * `/design` lists layout drafts and `/design/ID` edits one; unknown paths open the operator console.
 */
export function modeFromPath(pathname: string): Mode {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  if (path === '/train' || path.startsWith('/train/')) return 'trainee';
  if (path === '/replay' || path.startsWith('/replay/')) return 'replay';
  if (path === '/design' || path.startsWith('/design/')) return 'design';
  return MODE_BY_PATH[path] ?? 'operator';
}
