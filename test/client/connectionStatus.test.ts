import { describe, expect, it } from 'vitest';
import { deriveStatus } from '../../client/net/connectionStatus';

const base = { connected: true, everSynced: true, synced: true, stale: false };

describe('deriveStatus', () => {
  it('is connecting until the first snapshot', () => {
    expect(deriveStatus({ connected: false, everSynced: false, synced: false, stale: true })).toBe(
      'connecting',
    );
    expect(deriveStatus({ connected: true, everSynced: false, synced: false, stale: true })).toBe(
      'connecting',
    );
  });

  it('is live when synced and frames arrive', () => {
    expect(deriveStatus(base)).toBe('live');
  });

  it('is stale when connected but frames stopped', () => {
    expect(deriveStatus({ ...base, stale: true })).toBe('stale');
  });

  it('is reconnecting after a loss until the new snapshot arrives', () => {
    expect(deriveStatus({ ...base, connected: false, synced: false })).toBe('reconnecting');
    expect(deriveStatus({ ...base, synced: false })).toBe('reconnecting');
  });
});
