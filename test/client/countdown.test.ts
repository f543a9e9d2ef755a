import { describe, expect, it } from 'vitest';
import { auditFilter, EMPTY_AUDIT_FORM, formatParams, newestFirst } from '../../client/hud/audit/auditView';
import { confirmDeadline, secondsLeft } from '../../client/hud/countdown';
import { translate } from '../../client/i18n/messages';
import type { AuditEntry } from '../../protocol';

describe('countdowns', () => {
  it('rounds the seconds left up and never goes below zero', () => {
    expect(secondsLeft(30_000, 0)).toBe(30);
    expect(secondsLeft(30_000, 100)).toBe(30);
    expect(secondsLeft(30_000, 29_001)).toBe(1);
    expect(secondsLeft(30_000, 30_000)).toBe(0);
    expect(secondsLeft(30_000, 99_000)).toBe(0);
  });

  it('takes the server’s expiry when the clocks agree, the full TTL when they do not', () => {
    expect(confirmDeadline(1000, 1000 + 25_000, 30_000)).toBe(26_000);
    // A client clock 10 minutes off: the server's figure would be nonsense.
    expect(confirmDeadline(1000, 1000 + 600_000, 30_000)).toBe(31_000);
    expect(confirmDeadline(1000, 1000 - 600_000, 30_000)).toBe(31_000);
    expect(confirmDeadline(1000, undefined, 30_000)).toBe(31_000);
  });

  it('words the countdown in both languages', () => {
    expect(translate('en', 'confirm.expiresIn', { s: 27 })).toBe('27 s left');
    expect(translate('zh-CN', 'confirm.expiresIn', { s: 27 })).toBe('剩余 27 秒');
    expect(translate('zh-CN', 'command.action.e-stop')).toBe('急停');
  });
});

describe('audit view', () => {
  it('builds the API filter from the form, refusing a reversed time range', () => {
    expect(auditFilter({ ...EMPTY_AUDIT_FORM, user: ' op1 ', action: 'command:*' })).toEqual({
      user: 'op1',
      action: 'command:*',
      equipment: undefined,
      from: undefined,
      to: undefined,
      limit: 200,
    });
    expect(auditFilter({ ...EMPTY_AUDIT_FORM, from: '2026-05-04T10:00', to: '2026-05-04T09:00' })).toBe(
      'bad-range',
    );
    const f = auditFilter({ ...EMPTY_AUDIT_FORM, from: '2026-05-04T09:00', to: '2026-05-04T10:00' });
    if (f === 'bad-range') throw new Error('range is fine');
    expect((f.to ?? 0) - (f.from ?? 0)).toBe(3_600_000);
  });

  it('shows parameters as key=value pairs', () => {
    expect(formatParams({ node: 'RK-01-P' })).toBe('node=RK-01-P');
    expect(formatParams({ minutes: 30, reason: 'sensor swap' })).toBe('minutes=30, reason=sensor swap');
    expect(formatParams(null)).toBe('');
  });

  it('sorts newest first', () => {
    const e = (id: number, at: number) => ({ id, at }) as AuditEntry;
    expect(newestFirst([e(1, 10), e(3, 30), e(2, 30)]).map((x) => x.id)).toEqual([3, 2, 1]);
  });
});
