import { describe, expect, it } from 'vitest';
import { modeFromPath } from '../../client/modes/modeFromPath';
import { faultChoices } from '../../client/training/faultMenu';
import { initialSessionKey } from '../../client/training/initialSession';
import { escapeHtml, type ReportTexts, reportHtml } from '../../client/training/reportHtml';
import type { SessionReport } from '../../client/training/trainingApi';
import {
  codeFromPath,
  joinLink,
  normalizeJoinCode,
  sessionFromSearch,
} from '../../client/training/trainingPath';
import { openSession, trainingEvents, useTrainingStore } from '../../client/training/trainingStore';
import {
  appendFeed,
  clampSpeed,
  FEED_LIMIT,
  type FeedEntry,
  formatDuration,
  isTraineeActivity,
  progress,
  runState,
} from '../../client/training/trainingView';
import type { TrainingState } from '../../protocol';

describe('training routes', () => {
  it('opens the trainer console at /trainer and the trainee view at /train/CODE', () => {
    expect(modeFromPath('/trainer')).toBe('trainer');
    expect(modeFromPath('/trainer/')).toBe('trainer');
    expect(modeFromPath('/train/ABC234')).toBe('trainee');
    expect(modeFromPath('/train')).toBe('trainee');
    expect(modeFromPath('/trainers')).toBe('operator');
  });

  it('reads the join code from the path, upper-cased', () => {
    expect(codeFromPath('/train/abc234')).toBe('ABC234');
    expect(codeFromPath('/train/ABC234/')).toBe('ABC234');
    expect(codeFromPath('/train')).toBeNull();
    expect(initialSessionKey('trainee', { pathname: '/train/XYZ789', search: '' })).toBe('XYZ789');
    expect(initialSessionKey('trainer', { pathname: '/trainer', search: '?session=s12ab' })).toBe('s12ab');
    expect(initialSessionKey('operator', { pathname: '/', search: '?session=x' })).toBeNull();
  });

  it('normalizes typed codes and refuses impossible ones', () => {
    expect(normalizeJoinCode(' abc-234 ')).toBe('ABC234');
    expect(normalizeJoinCode('ABC23')).toBeNull();
    expect(normalizeJoinCode('ABC0O1')).toBeNull(); // 0, O and 1 are not in the alphabet
  });

  it('builds the join link and ignores a malformed ?session=', () => {
    expect(joinLink('http://host:3000/', 'ABC234')).toBe('http://host:3000/train/ABC234');
    expect(sessionFromSearch('?session=../x')).toBeNull();
  });
});

describe('trainer controls', () => {
  it('keeps a typed speed within 0.1..50', () => {
    expect(clampSpeed(0)).toBe(0.1);
    expect(clampSpeed(120)).toBe(50);
    expect(clampSpeed(2.345)).toBe(2.3);
    expect(clampSpeed(Number.NaN)).toBeNull();
  });

  it('tells ready, running, paused and finished apart', () => {
    expect(runState({ running: false, finished: false, simTimeS: 0 })).toBe('ready');
    expect(runState({ running: true, finished: false, simTimeS: 3 })).toBe('running');
    expect(runState({ running: false, finished: false, simTimeS: 3 })).toBe('paused');
    expect(runState({ running: false, finished: true, simTimeS: 600 })).toBe('finished');
  });

  it('shows progress and durations', () => {
    expect(progress(150, 600)).toBe(0.25);
    expect(progress(900, 600)).toBe(1);
    expect(progress(5, 0)).toBe(0);
    expect(formatDuration(75)).toBe('1:15');
    expect(formatDuration(3725)).toBe('1:02:05');
  });
});

describe('fault menu', () => {
  it('offers the faults that fit the equipment kind, and a power dip on its line', () => {
    const arm = faultChoices({ id: 'L1-R1', kind: 'robot-arm', line: 'L1' });
    expect(arm.map((c) => c.kind)).toEqual(['joint-overheat', 'bearing-wear', 'power-dip']);
    expect(arm[2].fault).toMatchObject({ kind: 'power-dip', line: 'L1' });
    expect(faultChoices({ id: 'BS-1', kind: 'base-station' }).map((c) => c.kind)).toEqual([
      'cell-outage',
      'uplink-congestion',
    ]);
    expect(faultChoices({ id: 'RK-1', kind: 'rack' })).toEqual([]);
  });
});

const state = (over: Partial<TrainingState> = {}): TrainingState => ({
  id: 's1',
  code: 'ABC234',
  scenarioId: 'x',
  scenarioName: 'X',
  seed: 1,
  running: false,
  speed: 1,
  simTimeS: 0,
  durationS: 600,
  finished: false,
  run: 0,
  createdBy: 'tr',
  createdAt: 0,
  participants: 1,
  ...over,
});

describe('training store', () => {
  it('turns message steps into trainee notices and keeps every step in the feed', () => {
    openSession('ABC234');
    trainingEvents.step({ simS: 5, step: 0, atS: 5, action: 'message', ok: true, message: 'Watch line 2' });
    trainingEvents.step({ simS: 9, step: 1, atS: 9, action: 'fault', ok: true, message: 'jam' });
    const s = useTrainingStore.getState();
    expect(s.notices.map((n) => n.text)).toEqual(['Watch line 2']);
    expect(s.feed).toHaveLength(2);
  });

  it('starts the feed over on a restart (a new run)', () => {
    openSession('s1');
    trainingEvents.state(state());
    trainingEvents.activity({
      at: 0,
      simS: 1,
      user: 'op',
      role: 'operator',
      event: 'alarm:ack',
      target: 'a1',
      ok: true,
    });
    expect(useTrainingStore.getState().feed).toHaveLength(1);
    trainingEvents.state(state({ run: 1 }));
    expect(useTrainingStore.getState().feed).toHaveLength(0);
  });

  it('keeps the feed bounded', () => {
    let feed: FeedEntry[] = [];
    for (let i = 0; i < FEED_LIMIT + 10; i++)
      feed = appendFeed(feed, {
        kind: 'step',
        key: String(i),
        simS: i,
        step: { simS: i, step: i, atS: i, action: 'message', ok: true, message: '' },
      });
    expect(feed).toHaveLength(FEED_LIMIT);
    expect(feed[0].key).toBe('10');
  });

  it("tells a trainee's activity from the trainer's own", () => {
    const a = { at: 0, simS: 0, user: 'u', target: null, ok: true } as const;
    expect(isTraineeActivity({ ...a, role: 'operator', event: 'alarm:ack' })).toBe(true);
    expect(isTraineeActivity({ ...a, role: 'trainer', event: 'training:control' })).toBe(false);
  });
});

describe('report export', () => {
  const texts = new Proxy({}, { get: (_t, k) => (k === 'seconds' ? '{n} s' : String(k)) }) as ReportTexts;
  const report: SessionReport = {
    id: 's1',
    scenarioId: 'jam',
    scenarioName: 'Jam <on> line 2',
    seed: 7,
    run: 0,
    simTimeS: 300,
    finished: true,
    trainees: [
      {
        user: 'ana',
        role: 'operator',
        met: 1,
        total: 2,
        acks: 1,
        commands: 0,
        results: [
          {
            id: 'e1',
            type: 'alarm-ack',
            label: 'Ack the jam',
            met: true,
            reason: 'acknowledged-in-time',
            detail: 'in 12 s',
            atS: 70,
            elapsedS: 12,
          },
          {
            id: 'e2',
            type: 'command',
            label: 'Reset L2-C3',
            met: false,
            reason: 'never-sent',
            detail: 'no reset was sent',
          },
        ],
        acknowledgements: [
          { alarmId: 'conveyor-fault@L2-C3', equipmentId: 'L2-C3', raisedS: 58, ackS: 70, elapsedS: 12 },
        ],
        commandsSent: [
          {
            simS: 80,
            equipmentId: 'L2-C4',
            action: 'reset',
            ok: false,
            message: 'not <faulted>',
            user: 'ana',
          },
        ],
        mistakes: [
          {
            kind: 'shelved-without-reason',
            simS: 95,
            target: 'a@X',
            detail: 'a@X shelved with the reason <ok>',
          },
        ],
      },
    ],
  };

  it('writes a self-contained page with every trainee and expectation, escaped', () => {
    const html = reportHtml(report, texts, '2025-01-01');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('Jam &#60;on&#62; line 2');
    expect(html).not.toContain('<on>');
    expect(html).toContain('Ack the jam');
    expect(html).toContain('no reset was sent');
    expect(html).toContain('1:10');
    expect(html).toContain('a@X shelved with the reason &#60;ok&#62;');
    expect(html).toContain('conveyor-fault@L2-C3 · 12 s');
    expect(html).toContain('reset L2-C4 ✗ not &#60;faulted&#62;');
    expect(html).not.toMatch(/<script|<link|src=/);
  });

  it('escapes quotes and ampersands', () => {
    expect(escapeHtml(`a&b"c'`)).toBe('a&#38;b&#34;c&#39;');
  });
});
