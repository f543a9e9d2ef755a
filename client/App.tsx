import { lazy, Suspense } from 'react';
import { SceneBoundary } from './hud/SceneBoundary';
import { modeFromPath } from './modes/modeFromPath';
import { OperatorMode } from './modes/OperatorMode';
import { PlantScene } from './scene/PlantScene';

// Its own chunk: the showcase's fonts and styles load only on the lobby screen.
const ShowcaseMode = lazy(() => import('./modes/ShowcaseMode'));

/** The plant in 3D across the whole viewport, with the current console's overlays above it. */
export function App() {
  // Read once: consoles are separate pages (kiosk, trainer station), not in-app navigation.
  const mode = modeFromPath(window.location.pathname);
  return (
    <div className="app">
      <div className="app__scene">
        <SceneBoundary>
          <PlantScene quality={mode === 'showcase' ? 'showcase' : 'operator'} />
        </SceneBoundary>
      </div>
      {mode === 'operator' && <OperatorMode />}
      {mode === 'showcase' && (
        <Suspense fallback={null}>
          <ShowcaseMode />
        </Suspense>
      )}
    </div>
  );
}
