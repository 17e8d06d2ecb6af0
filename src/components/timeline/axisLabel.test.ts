import { describe, expect, it } from 'vitest';
import { axisLabel } from './TimelinePanel.tsx';

describe('the time-axis choice names the sliver from the runs shown', () => {
  it('names the shorter column, whichever it is', () => {
    expect(axisLabel('shared', { A: 244e9, B: 59e6 })).toBe('one time axis (B is a sliver of A)');
    expect(axisLabel('shared', { A: 59e6, B: 244e9 })).toBe('one time axis (A is a sliver of B)');
  });
  it('names no sliver while a run is missing or when both are as long', () => {
    expect(axisLabel('shared', { A: 0, B: 59e6 })).toBe('one time axis');
    expect(axisLabel('shared', { A: 5, B: 5 })).toBe('one time axis');
    expect(axisLabel('own', { A: 244e9, B: 59e6 })).toBe('each run fills the width');
  });
});
