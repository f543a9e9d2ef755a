import type { Mode } from '../modes/modeFromPath';
import { codeFromPath, sessionFromSearch } from './trainingPath';

/** The session a training page opens on load: the trainee's code, or the trainer's `?session=`. */
export function initialSessionKey(mode: Mode, loc: Pick<Location, 'pathname' | 'search'>): string | null {
  if (mode === 'trainee') return codeFromPath(loc.pathname);
  if (mode === 'trainer') return sessionFromSearch(loc.search);
  return null;
}
