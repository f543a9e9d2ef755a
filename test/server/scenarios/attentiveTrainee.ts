import type { Scenario } from '../../../protocol/scenario';
import type { ScriptedTrainee } from '../../../server/scenarios/runScenario';
import type { SimCommand } from '../../../server/sim';

/**
 * A scripted trainee who does what a scenario expects, the way a good operator would: acknowledges
 * an expected alarm `ackAfterS` after it rises, and sends each expected command once every alarm it
 * should have acknowledged first is acknowledged (retrying while the plant refuses it). It knows
 * only the expectations, not the timeline.
 */
export function attentiveTrainee(scenario: Scenario, ackAfterS = 10): ScriptedTrainee {
  const alarmExp = scenario.expectations.filter((e) => e.type === 'alarm-ack');
  const acked = new Set<string>();
  const raisedAt = new Map<string, number>();
  const done = new Set<string>();
  let nextTryS = 0;
  return (ctx) => {
    const t = ctx.simTimeS;
    for (const tr of ctx.transitions)
      if (tr.to === 'unacknowledged' && !raisedAt.has(tr.alarmId)) raisedAt.set(tr.alarmId, t);
    for (const e of alarmExp) {
      const id = `${e.rule}@${e.equipment}`;
      const at = raisedAt.get(id);
      if (acked.has(e.id) || at === undefined || at < e.afterS - 1e-6 || t - at < ackAfterS) continue;
      if (ctx.ack([id]).acknowledged.length) acked.add(e.id);
    }
    if (t < nextTryS) return;
    for (const e of scenario.expectations) {
      if (e.type !== 'command' || done.has(e.id) || t < e.afterS) continue;
      // Acknowledge first, then act: required alarms expected before this command must be handled.
      const pending = alarmExp.some((a) => a.required && a.afterS <= e.afterS && !acked.has(a.id));
      if (pending) continue;
      const cmd = { equipmentId: e.equipment[0], action: e.actions[0] } as SimCommand;
      if (ctx.command(cmd).ok) done.add(e.id);
      else nextTryS = t + 5;
    }
  };
}
