// The showcase's typeface, self-hosted (offline lobby screens): Noto Sans SC covers Latin and
// Simplified Chinese; unicode-range subsets load only the glyph blocks actually shown.
import '@fontsource/noto-sans-sc/300.css';
import '@fontsource/noto-sans-sc/400.css';
import '@fontsource/noto-sans-sc/700.css';
import '../showcase/showcase.css';
import { ShowcaseScreen } from '../showcase/ShowcaseScreen';

/** Props of ShowcaseMode (none: it reads the URL). */
export type ShowcaseModeProps = Record<string, never>;

/** The executives' lobby screen: the touring plant (scene side) with the showcase overlay. */
export function ShowcaseMode(_: ShowcaseModeProps) {
  return <ShowcaseScreen />;
}

export default ShowcaseMode;
