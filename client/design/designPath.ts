import { DESIGN_ID_PATTERN } from '../../protocol';

/** The draft a design-screen URL opens: `/design/d-…` (or `/design?draft=d-…`); null: the draft list. */
export function draftFromLocation(pathname: string, search: string): string | null {
  const m = /^\/design\/([^/]+)\/?$/.exec(pathname);
  const id = m ? decodeURIComponent(m[1]) : new URLSearchParams(search).get('draft');
  return id && DESIGN_ID_PATTERN.test(id) ? id : null;
}

/** The URL of a draft in the editor (or of the draft list). */
export function designHref(id: string | null): string {
  return id ? `/design/${encodeURIComponent(id)}` : '/design';
}
