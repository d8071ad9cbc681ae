import { slaProblems } from './stage-sla';

describe('B3: stage SLA validation', () => {
  const stage = { name: 'Kickoff', endStage: false };

  it('accepts whole days in either unit, with or without an at-risk fraction', () => {
    expect(slaProblems({ expected: 5, unit: 'business-days' }, stage)).toEqual([]);
    expect(slaProblems({ expected: 3650, unit: 'calendar-days', atRisk: 0.5 }, stage)).toEqual([]);
  });

  it('refuses an SLA on an end stage, naming the stage and why', () => {
    expect(slaProblems({ expected: 5, unit: 'business-days' }, { name: 'Go Live', endStage: true })).toEqual([
      'stage "Go Live" is an end stage: end stages have no SLA (the cycle is complete there)',
    ]);
  });

  it('names every bad field and what is allowed', () => {
    expect(slaProblems({ expected: 0.5, unit: 'hours' as never, atRisk: 1 }, stage)).toEqual([
      'sla.expected must be a whole number of days from 1 to 3650; got 0.5',
      'sla.unit must be one of business-days, calendar-days; got "hours"',
      'sla.atRisk must be a fraction from 0.01 to 0.99 (e.g. 0.8); got 1',
    ]);
  });
});
