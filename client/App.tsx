import { lazy, Suspense } from 'react';
import { AuthGate } from './auth/AuthGate';
import { SceneBoundary } from './hud/SceneBoundary';
import { pickLocale } from './i18n/locale';
import { LocaleContext } from './i18n/useT';
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

// Read once: consoles are separate pages (kiosk, trainer station), not in-app navigation.
const mode = modeFromPath(window.location.pathname);
const training = mode === 'trainer' || mode === 'trainee';
// A trainee's join code (`/train/CODE`) or the trainer's re-opened session (`/trainer?session=`).
if (training) openSession(initialSessionKey(mode, window.location));
// The showcase follows the browser's language. The operator console's older panels are English
// only, so its newer parts (login, commands, audit) change language only with an explicit ?lang=.
const locale = pickLocale(
  window.location.search,
  mode === 'showcase' ? (navigator.languages ?? [navigator.language]) : [],
);

// The showcase brings its own font; the console in Chinese needs it too (styles.css :lang).
if (locale === 'zh-CN' && mode !== 'showcase') void import('./i18n/cjkFont');
document.documentElement.lang = locale;

/** The plant in 3D across the whole viewport, with the current console's overlays above it. */
export function App() {
  const session = useTrainingStore((s) => (training ? s.sessionKey : null));
  if (mode === 'replay')
    return (
      <LocaleContext.Provider value={locale}>
        <Suspense fallback={null}>
          <ReplayMode />
        </Suspense>
      </LocaleContext.Provider>
    );
  return (
    <LocaleContext.Provider value={locale}>
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
    </LocaleContext.Provider>
  );
}
