/** Where the built client lives (re-exported from paths so older imports keep working). */
export { CLIENT_DIST, ROOT } from './paths';
