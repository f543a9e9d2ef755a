import { describe, expect, it } from 'vitest';
import {
  formatNumber,
  formatPercent,
  formatSignal,
  formatSimClock,
  formatSpeed,
  isOutOfNormal,
  NO_VALUE,
} from '../../client/hud/format';
import { signalsOf } from '../../protocol';

const battery = signalsOf('agv').find((d) => d.key === 'battery')!;

describe('HUD formatting', () => {
  it('shows a signal with its catalog decimals and unit', () => {
    expect(formatSignal(87.456, battery)).toBe('87.5 %');
    expect(formatSignal(42.04, { decimals: 1, unit: '°C' })).toBe('42.0 °C');
  });

  it('shows unitless counters as whole numbers with thousands separators', () => {
    expect(formatSignal(1234567, { decimals: 0, unit: '' })).toBe('1,234,567');
  });

  it('never shows a negative zero', () => {
    expect(formatNumber(-0.00001, 2)).toBe('0.00');
  });

  it('shows a dash, not a number, for unknown values', () => {
    expect(formatSignal(Number.NaN, battery)).toBe(NO_VALUE);
    expect(formatPercent(Number.NaN)).toBe(NO_VALUE);
  });

  it('formats ratios as percentages', () => {
    expect(formatPercent(0.8734)).toBe('87.3 %');
    expect(formatPercent(0.5, 0)).toBe('50 %');
  });

  it('formats the speed multiplier compactly', () => {
    expect(formatSpeed(1)).toBe('×1');
    expect(formatSpeed(0.5)).toBe('×0.5');
    expect(formatSpeed(10)).toBe('×10');
  });

  it('shows simulation time as a clock, with days past 24 hours', () => {
    expect(formatSimClock(0)).toBe('00:00:00');
    expect(formatSimClock(3723.9)).toBe('01:02:03');
    expect(formatSimClock(2 * 86400 + 61)).toBe('2d 00:01:01');
    expect(formatSimClock(-1)).toBe(NO_VALUE);
  });

  it('flags values outside the normal range only', () => {
    expect(isOutOfNormal(19.9, battery)).toBe(true);
    expect(isOutOfNormal(20, battery)).toBe(false);
    expect(isOutOfNormal(100, battery)).toBe(false);
    expect(isOutOfNormal(Number.NaN, battery)).toBe(false);
  });
});
