import { SceneBoundary } from './hud/SceneBoundary';
import { modeFromPath } from './modes/modeFromPath';
import { OperatorMode } from './modes/OperatorMode';
import { PlantScene } from './scene/PlantScene';

/** The plant in 3D across the whole viewport, with the current console's overlays above it. */
export function App() {
  // Read once: consoles are separate pages (kiosk, trainer station), not in-app navigation.
  const mode = modeFromPath(window.location.pathname);
  return (
    <div className="app">
      <div className="app__scene">
        <SceneBoundary>
          <PlantScene />
        </SceneBoundary>
      </div>
      {mode === 'operator' && <OperatorMode />}
    </div>
  );
}
