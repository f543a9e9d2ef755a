// Base styles first, so the panels' own stylesheets (imported by their components) refine them.
import './styles.css';
import { Profiler, StrictMode } from 'react';
// The profiling build of react-dom: in a production build the plain one never calls
// <Profiler onRender>, and `window.__twin.stats().reactCommits` must count real commits.
import { createRoot } from 'react-dom/profiling';
import { App } from './App';
import { applyThemeVars } from './hud/themeVars';
import { startTrendSampler } from './hud/trendSampler';
import { diagnostics, installDiagnostics } from './state/diagnostics';

/** Counts every commit of the app tree (principle 6: a test holds it low while frames stream). */
function countCommit(): void {
  diagnostics.reactCommits++;
}

installDiagnostics();
applyThemeVars(document.documentElement);
// The plant connection starts only once logged in (AuthGate mounts it, unmounting closes it).
// Before the HUD mounts, so each tick samples trends before the charts read them.
const stopSampler = startTrendSampler();

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
const root = createRoot(container);
root.render(
  <StrictMode>
    <Profiler id="plant-twin" onRender={countCommit}>
      <App />
    </Profiler>
  </StrictMode>,
);

if (import.meta.hot) {
  import.meta.hot.dispose(() => {
    root.unmount();
    stopSampler();
  });
}
