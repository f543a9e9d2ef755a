import { describe, expect, it } from 'vitest';
import type { AlarmState } from '../../../protocol';
import {
  type AlarmLife,
  applyLifeEvent,
  type CoreState,
  displayState,
  initialLife,
  type LifeEvent,
} from '../../../server/alarms/lifecycle';

const life = (core: CoreState, extra: Partial<AlarmLife> = {}): AlarmLife => ({
  ...initialLife(false),
  core,
  active: core === 'unacknowledged' || core === 'acknowledged',
  ...extra,
});
const raise: LifeEvent = { type: 'condition', active: true };
const clear: LifeEvent = { type: 'condition', active: false };

/** [behaviour, before, event, state after] */
const table: [string, AlarmLife, LifeEvent, AlarmState][] = [
  ['raises a normal alarm to unacknowledged', life('normal'), raise, 'unacknowledged'],
  ['acknowledges an active alarm', life('unacknowledged'), { type: 'ack' }, 'acknowledged'],
  [
    'returns an acknowledged alarm to normal when its condition clears',
    life('acknowledged'),
    clear,
    'normal',
  ],
  [
    'goes to rtn-unacknowledged when it clears before anyone acknowledges',
    life('unacknowledged'),
    clear,
    'rtn-unacknowledged',
  ],
  ['ends a returned alarm on ack', life('rtn-unacknowledged'), { type: 'ack' }, 'normal'],
  ['raises a returned alarm again before its ack', life('rtn-unacknowledged'), raise, 'unacknowledged'],
  [
    'keeps a latching alarm unacknowledged after it clears',
    life('unacknowledged', { latching: true }),
    clear,
    'unacknowledged',
  ],
  [
    'ends a latched, cleared alarm on ack',
    life('unacknowledged', { latching: true, active: false }),
    { type: 'ack' },
    'normal',
  ],
  ['shelves an active alarm', life('unacknowledged'), { type: 'shelve', until: 1000 }, 'shelved'],
  ['shelves a normal alarm (a chattering one)', life('normal'), { type: 'shelve', until: 1000 }, 'shelved'],
  [
    'returns to unacknowledged when a shelve ends and it is still active',
    life('normal', { active: true, shelvedUntil: 1000 }),
    { type: 'unshelve' },
    'unacknowledged',
  ],
  [
    'returns to normal when a shelve ends and it has cleared',
    life('normal', { active: false, shelvedUntil: 1000 }),
    { type: 'unshelve' },
    'normal',
  ],
  [
    'stays shelved when its condition changes',
    life('normal', { active: false, shelvedUntil: 1000 }),
    raise,
    'shelved',
  ],
  [
    'is suppressed while its equipment is in maintenance',
    life('unacknowledged'),
    { type: 'suppression', suppressed: true },
    'suppressed',
  ],
  ['raises suppressed while suppressed', life('normal', { suppressed: true }), raise, 'suppressed'],
  [
    'returns to unacknowledged when suppression ends and it is active',
    life('normal', { suppressed: true, active: true }),
    { type: 'suppression', suppressed: false },
    'unacknowledged',
  ],
  [
    'returns to normal when suppression ends after it cleared',
    life('normal', { suppressed: true, active: false }),
    { type: 'suppression', suppressed: false },
    'normal',
  ],
  [
    'is normal while suppressed and clear',
    life('normal', { suppressed: true, active: true }),
    clear,
    'normal',
  ],
  [
    'goes out of service by hand',
    life('acknowledged'),
    { type: 'out-of-service', enabled: true },
    'out-of-service',
  ],
  [
    'out of service wins over a shelve',
    life('normal', { shelvedUntil: 5 }),
    { type: 'out-of-service', enabled: true },
    'out-of-service',
  ],
  [
    'returns from out of service to what its condition says (active)',
    life('normal', { oos: true, active: true }),
    { type: 'out-of-service', enabled: false },
    'unacknowledged',
  ],
  [
    'returns from out of service to what its condition says (clear)',
    life('normal', { oos: true }),
    { type: 'out-of-service', enabled: false },
    'normal',
  ],
  [
    're-alarms an acknowledged alarm that is still active',
    life('acknowledged'),
    { type: 're-alarm' },
    'unacknowledged',
  ],
  ['does not re-alarm an unacknowledged one', life('unacknowledged'), { type: 're-alarm' }, 'unacknowledged'],
];

describe('alarm lifecycle (ISA-18.2)', () => {
  for (const [sentence, before, ev, after] of table)
    it(sentence, () => {
      const r = applyLifeEvent(before, ev);
      expect(r.ok).toBe(true);
      if (r.ok) expect(displayState(r.life)).toBe(after);
    });

  /** [behaviour, before, event] refused with CONFLICT, nothing changed */
  const refused: [string, AlarmLife, LifeEvent][] = [
    ['refuses to acknowledge a normal alarm', life('normal'), { type: 'ack' }],
    ['refuses to acknowledge an acknowledged alarm', life('acknowledged'), { type: 'ack' }],
    ['refuses to acknowledge a shelved alarm', life('normal', { shelvedUntil: 9 }), { type: 'ack' }],
    ['refuses to acknowledge an out-of-service alarm', life('normal', { oos: true }), { type: 'ack' }],
    ['refuses to shelve a shelved alarm', life('normal', { shelvedUntil: 9 }), { type: 'shelve', until: 99 }],
    [
      'refuses to shelve an out-of-service alarm',
      life('normal', { oos: true }),
      { type: 'shelve', until: 99 },
    ],
    ['refuses to unshelve an alarm that is not shelved', life('unacknowledged'), { type: 'unshelve' }],
    [
      'refuses to put an in-service alarm back in service',
      life('normal'),
      { type: 'out-of-service', enabled: false },
    ],
  ];
  for (const [sentence, before, ev] of refused)
    it(sentence, () => {
      expect(applyLifeEvent(before, ev)).toMatchObject({ ok: false, code: 'CONFLICT' });
    });
});
