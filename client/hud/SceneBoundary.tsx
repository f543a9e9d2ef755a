import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useT } from '../i18n/useT';

/** The calm note shown instead of the plant. */
function SceneFallback() {
  const { t } = useT();
  return <div className="scene-fallback">{t('scene.unavailable')}</div>;
}

/** Props of SceneBoundary. */
export interface SceneBoundaryProps {
  children: ReactNode;
}

/**
 * Keeps the HUD usable when the 3D view cannot run (no WebGL, a scene bug): the operator still
 * gets KPIs, faults and the inspector, with a calm note where the plant would be.
 */
export class SceneBoundary extends Component<SceneBoundaryProps, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('plant twin: 3D view failed', error, info.componentStack);
  }

  override render() {
    if (this.state.failed) return <SceneFallback />;
    return this.props.children;
  }
}
