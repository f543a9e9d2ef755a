import type { CommandAction, WhatIfScriptEntry } from '../../protocol';
import type { Scenario, ScenarioAction } from '../../protocol/scenario';
import { dueSteps } from '../scenarios/plan';
import { applyCommand, applyScenarioAction, type World } from '../sim';

/**
 * A training scenario as a what-if runs it on a layout: the timeline as written, and a scripted
 * operator in place of the trainee, who sends each expected command as soon as it is expected
 * (from `afterS`), retrying once a simulated second while the plant refuses it, until `byS`.
 * Plain data: it travels to the what-if worker as is.
 */
export interface WhatIfScript {
  id: string;
  timeline: Scenario['timeline'];
  /** The plant's own random faults and planned maintenance run too (the scenario's setting). */
  randomFaults: boolean;
  operator: { target: string; action: Exclude<CommandAction, 'go-to'>; afterS: number; byS: number }[];
}

/** The script of `scenario`: its timeline, and its command expectations as the operator's plan. */
export function scriptOf(scenario: Scenario): WhatIfScript {
  const operator: WhatIfScript['operator'] = [];
  for (const x of scenario.expectations) {
    if (x.type !== 'command') continue;
    // The first allowed target and action: what a trainee who meets it would send. A go-to needs a
    // node the expectation does not name, so it is left out.
    const action = x.actions.find((a): a is Exclude<CommandAction, 'go-to'> => a !== 'go-to');
    if (action && x.equipment.length)
      operator.push({ target: x.equipment[0], action, afterS: x.afterS, byS: x.byS });
  }
  return { id: scenario.id, timeline: scenario.timeline, randomFaults: scenario.randomFaults, operator };
}

/** How a timeline step reads in a what-if's outcome: `fault conveyor-jam L1-C2`, `set order-mix L3`. */
function describe(a: ScenarioAction): string {
  switch (a.type) {
    case 'fault': {
      const f = a.fault as { kind: string; equipment?: string; line?: string };
      return `fault ${f.kind} ${f.equipment ?? f.line ?? ''}`.trim();
    }
    case 'clear':
      return `clear ${a.kind ?? 'all faults'} ${a.equipment}`;
    case 'set': {
      const p = a.set as { parameter: string; equipment?: string; line?: string };
      return `set ${p.parameter} ${p.equipment ?? p.line ?? ''}`.trim();
    }
    case 'command':
      return `${a.command.action} ${a.command.equipment}`;
    case 'message':
      return 'message';
  }
}

/** Applies a script to one world as it steps; collects what was applied and what could not be. */
export class ScriptRunner {
  readonly entries: WhatIfScriptEntry[] = [];
  /** Per operator command: 0 waiting, 1 done (accepted, or given up at byS). */
  private readonly settled: Uint8Array;
  /** Per operator command: the last refusal, reported if it never got through. */
  private readonly lastRefusal: (string | null)[];

  constructor(
    private readonly world: World,
    private readonly script: WhatIfScript,
  ) {
    this.settled = new Uint8Array(script.operator.length);
    this.lastRefusal = script.operator.map(() => null);
    this.applySteps(-1, 0);
  }

  /** Call after each stepWorld that advanced the world from `fromS` to `toS`, s. */
  afterStep(fromS: number, toS: number): void {
    this.applySteps(fromS, toS);
    // The operator looks once a simulated second (whole seconds crossed in this step).
    if (Math.floor(toS + 1e-6) === Math.floor(fromS + 1e-6)) return;
    const ops = this.script.operator;
    for (let i = 0; i < ops.length; i++) {
      if (this.settled[i]) continue;
      const op = ops[i];
      if (toS + 1e-6 < op.afterS) continue;
      if (toS > op.byS + 1e-6) {
        this.settled[i] = 1;
        this.entries.push({
          atS: round(toS),
          kind: 'command',
          what: `${op.action} ${op.target}`,
          ok: false,
          message: `not accepted by ${op.byS} s: ${this.lastRefusal[i] ?? 'never tried'}`,
        });
        continue;
      }
      const r = applyCommand(this.world, { equipmentId: op.target, action: op.action });
      if (!r.ok) {
        this.lastRefusal[i] = r.message;
        continue;
      }
      this.settled[i] = 1;
      this.entries.push({
        atS: round(toS),
        kind: 'command',
        what: `${op.action} ${op.target}`,
        ok: true,
        message: r.message,
      });
    }
  }

  /** At the end of the run (`endS`, s): the commands still waiting are reported as not sent. */
  finish(endS: number): WhatIfScriptEntry[] {
    this.script.operator.forEach((op, i) => {
      if (this.settled[i]) return;
      this.settled[i] = 1;
      const why = this.lastRefusal[i] ?? `the run ended at ${round(endS)} s, before ${op.afterS} s`;
      this.entries.push({
        atS: round(endS),
        kind: 'command',
        what: `${op.action} ${op.target}`,
        ok: false,
        message: `not accepted: ${why}`,
      });
    });
    return this.entries;
  }

  private applySteps(fromS: number, toS: number): void {
    for (const step of dueSteps(this.script, fromS, toS)) {
      if (step.action.type === 'message') continue;
      const r = applyScenarioAction(this.world, step.action);
      this.entries.push({
        atS: round(toS),
        kind: 'step',
        what: describe(step.action),
        ok: r.ok,
        message: r.message,
      });
    }
  }
}

const round = (s: number) => Math.round(s * 10) / 10;
