import { lazy, Suspense } from 'react';
import { AuthGate } from './auth/AuthGate';
import { SceneBoundary } from './hud/SceneBoundary';
import { startLocaleEffects } from './i18n/localeEffects';
import { modeFromPath } from './modes/modeFromPath';
import { OperatorMode } from './modes/OperatorMode';
import { PlantScene } from './scene/PlantScene';
import { initialSessionKey } from './training/initialSession';
import { openSession, useTrainingStore } from './training/trainingStore';

// Its own chunk: the showcase's fonts and styles load only on the lobby screen.
const ShowcaseMode = lazy(() => import('./modes/ShowcaseMode'));
// Its own chunk too: only trainers and trainees load the training console.
const TrainingMode = lazy(() => import('./training/TrainingMode'));
// And the replay view: its own login gate, socket and player (no live plant connection).
const ReplayMode = lazy(() => import('./replay/ReplayMode'));
// And design mode: engineers' layout drafts (its own login gate; no live plant connection).
const DesignMode = lazy(() => import('./design/DesignMode'));

// Read once: consoles are separate pages (kiosk, trainer station), not in-app navigation.
const mode = modeFromPath(window.location.pathname);
const training = mode === 'trainer' || mode === 'trainee';
// A trainee's join code (`/train/CODE`) or the trainer's re-opened session (`/trainer?session=`).
if (training) openSession(initialSessionKey(mode, window.location));
// Every screen follows the reader's language (?lang=, the user's choice, the browser's language).
startLocaleEffects(mode === 'showcase');

/** The plant in 3D across the whole viewport, with the current console's overlays above it. */
export function App() {
  const session = useTrainingStore((s) => (training ? s.sessionKey : null));
  if (mode === 'replay')
    return (
      <Suspense fallback={null}>
        <ReplayMode />
      </Suspense>
    );
  if (mode === 'design')
    return (
      <Suspense fallback={null}>
        <DesignMode />
      </Suspense>
    );
  return (
    <AuthGate showcase={mode === 'showcase'} session={session}>
      <div className="app">
        <div className="app__scene">
          <SceneBoundary>
            <PlantScene quality={mode === 'showcase' ? 'showcase' : 'operator'} />
          </SceneBoundary>
        </div>
        {mode === 'operator' && <OperatorMode />}
        {training && (
          <Suspense fallback={null}>
            <TrainingMode trainer={mode === 'trainer'} />
          </Suspense>
        )}
        {mode === 'showcase' && (
          <Suspense fallback={null}>
            <ShowcaseMode />
          </Suspense>
        )}
      </div>
    </AuthGate>
  );
}
