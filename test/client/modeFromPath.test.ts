import { describe, expect, it } from 'vitest';
import { modeFromPath } from '../../client/modes/modeFromPath';

describe('modeFromPath', () => {
  it('opens the operator console at the root', () => {
    expect(modeFromPath('/')).toBe('operator');
    expect(modeFromPath('/operator/')).toBe('operator');
  });

  it('opens design mode at /design and for a draft under it', () => {
    expect(modeFromPath('/design')).toBe('design');
    expect(modeFromPath('/design/d-0123456789ab')).toBe('design');
    expect(modeFromPath('/designer')).toBe('operator');
  });

  it('falls back to the operator console for unknown paths', () => {
    expect(modeFromPath('/nope')).toBe('operator');
  });
});
