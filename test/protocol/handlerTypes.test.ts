import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import {
  type Alarm,
  type AlarmOutOfServiceRequest,
  alarmAckSchema,
  alarmOutOfServiceSchema,
  alarmShelveSchema,
  type ClientToServerEvents,
  type EquipmentCommandRequest,
  type equipmentCommandSchema,
  type ScenarioFault,
  type TrainingInjectRequest,
  trainingInjectSchema,
} from '../../protocol';
import { type GuardDeps, guardedOn, type PayloadOf, type ReplyOf } from '../../server/transport/guard';
import type { TwinSocket } from '../../server/transport/types';

/*
 * The compiler checks a socket handler against the event map: `npm run typecheck` compiles this
 * file, and every `@ts-expect-error` below must meet an error (an unused one is an error itself).
 * The registrations are type-checked only: `registrations` is never called (it would need a live
 * socket; test/server/access/ drives the real ones).
 */

declare const alarm: Alarm;

function registrations(socket: TwinSocket, deps: GuardDeps): void {
  // A route whose schema fits the payload and whose answer fits the ack compiles.
  guardedOn(
    socket,
    'alarm:shelve',
    {
      permission: 'alarm:act',
      schema: alarmShelveSchema,
      run: (req) => (req.minutes > 0 ? { ok: true, alarm } : { ok: false, code: 'INVALID', message: 'no' }),
    },
    deps,
  );
  guardedOn(
    socket,
    'plant:resync',
    { permission: 'plant:watch', schema: null, run: () => ({ ok: true, seq: 1 }) },
    deps,
  );

  // An answer of another event's shape is rejected.
  guardedOn(
    socket,
    'alarm:shelve',
    {
      permission: 'alarm:act',
      schema: alarmShelveSchema,
      // @ts-expect-error `alarm:shelve` answers `{ ok: true, alarm }`, not `{ acknowledged }`.
      run: () => ({ ok: true, acknowledged: ['a@b'] }),
    },
    deps,
  );
  // An answer missing a field of the event's reply is rejected.
  guardedOn(
    socket,
    'alarm:ack',
    {
      permission: 'alarm:act',
      schema: alarmAckSchema,
      // @ts-expect-error `alarm:ack` answers `refused` as well.
      run: (req) => ({ ok: true, acknowledged: req.ids }),
    },
    deps,
  );
  // An answer whose field has the wrong type is rejected.
  guardedOn(
    socket,
    'plant:resync',
    // @ts-expect-error `seq` is a number.
    { permission: 'plant:watch', schema: null, run: () => ({ ok: true, seq: 'one' }) },
    deps,
  );
  // A refusal with a code outside the documented list is rejected.
  guardedOn(
    socket,
    'alarm:shelve',
    {
      permission: 'alarm:act',
      schema: alarmShelveSchema,
      // @ts-expect-error 'NOPE' is no ErrorCode.
      run: () => ({ ok: false, code: 'NOPE', message: 'no' }),
    },
    deps,
  );

  // A schema whose output does not fit the event's payload is rejected.
  guardedOn(
    socket,
    'alarm:ack',
    {
      permission: 'alarm:act',
      // @ts-expect-error the shelve schema parses `{ id, minutes, reason }`, not `{ ids }`.
      schema: alarmShelveSchema,
      run: () => ({ ok: true, acknowledged: [], refused: [] }),
    },
    deps,
  );
  // An event that carries a payload needs a schema...
  guardedOn(
    socket,
    'alarm:shelve',
    {
      permission: 'alarm:act',
      // @ts-expect-error null is only for ack-only events.
      schema: null,
      run: () => ({ ok: true, alarm }),
    },
    deps,
  );
  // ...and an ack-only event takes none.
  guardedOn(
    socket,
    'plant:resync',
    {
      permission: 'plant:watch',
      // @ts-expect-error plant:resync carries no payload.
      schema: alarmAckSchema,
      run: () => ({ ok: true, seq: 1 }),
    },
    deps,
  );
  // An event that is not in the map is rejected.
  guardedOn(
    socket,
    // @ts-expect-error no such client event.
    'alarm:delete',
    { permission: 'alarm:act', schema: null, run: () => ({ ok: true }) },
    deps,
  );

  // `run` gets the schema's parsed output: a fault with its defaults filled in.
  guardedOn(
    socket,
    'training:inject',
    {
      permission: 'training:run',
      schema: trainingInjectSchema,
      run: (req) => {
        expectTypeOf(req).toEqualTypeOf<z.output<typeof trainingInjectSchema>>();
        if ('fault' in req) expectTypeOf(req.fault).toEqualTypeOf<ScenarioFault>();
        return { ok: true, message: 'injected', simTimeS: 0 };
      },
    },
    deps,
  );
}

describe('request types', () => {
  it('types each request as its schema input, and each answer from the event map', () => {
    expectTypeOf(registrations).parameters.toEqualTypeOf<[TwinSocket, GuardDeps]>();
    expectTypeOf<PayloadOf<'alarm:out-of-service'>>().toEqualTypeOf<AlarmOutOfServiceRequest>();
    expectTypeOf<AlarmOutOfServiceRequest>().toEqualTypeOf<z.input<typeof alarmOutOfServiceSchema>>();
    expectTypeOf<EquipmentCommandRequest>().toEqualTypeOf<z.input<typeof equipmentCommandSchema>>();
    expectTypeOf<TrainingInjectRequest>().toEqualTypeOf<z.input<typeof trainingInjectSchema>>();
    expectTypeOf<PayloadOf<'plant:resync'>>().toBeUndefined();
    expectTypeOf<ReplyOf<'alarm:shelve'>>().toEqualTypeOf<
      Parameters<Parameters<ClientToServerEvents['alarm:shelve']>[1]>[0]
    >();
    // A client may return an alarm to service without a reason; taking it out needs one.
    expectTypeOf<{ id: string; enabled: false }>().toExtend<AlarmOutOfServiceRequest>();
    expect(alarmOutOfServiceSchema.safeParse({ id: 'r@e', enabled: false }).success).toBe(true);
    expect(alarmOutOfServiceSchema.safeParse({ id: 'r@e', enabled: true }).success).toBe(false);
  });

  it('lets a client leave out fault parameters that have defaults, and fills them in', () => {
    const req: TrainingInjectRequest = { fault: { kind: 'bearing-wear', equipment: 'L1-R1' } };
    const parsed = trainingInjectSchema.parse(req);
    expect(parsed).toEqual({ fault: { kind: 'bearing-wear', equipment: 'L1-R1', failAfterS: 900 } });
  });
});
