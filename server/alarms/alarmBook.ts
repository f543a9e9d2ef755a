import type { Alarm, AlarmStats, AlarmTemplate, AlarmTransition, ErrorCode, Layout } from '../../protocol';
import type { EquipmentRuntime } from '../sim/types';
import type { AlarmStore, HistoryQuery } from '../store/alarmStore';
import {
  alarmTemplates,
  badInputSignals,
  FIRST_OUT_WINDOW_S,
  isBadInput,
  isRaise,
  newRecord,
  reportedValue,
  setAlarmText,
  setBadInputText,
  withLife,
} from './alarmRecords';
import { BAD_INPUT_RULE, type CompiledRules, compileRules } from './compile';
import {
  type ConditionState,
  computeSuppression,
  createConditionState,
  evaluateConditions,
  isSuppressed,
} from './evaluate';
import { computeAlarmStats, HEALTH_DEFAULTS } from './health';
import { applyLifeEvent, displayState, initialLife, type LifeEvent } from './lifecycle';
import type { AlarmRecord, InputQuality } from './types';

/** What `tick` returns when nothing changed: shared, frozen (no allocation per step). */
const NO_TRANSITIONS = Object.freeze([]) as unknown as AlarmTransition[];

/** Transitions `alarm:since` returns at most; further back the client takes a snapshot. */
export const MAX_CATCH_UP = 1000;

/** An operator's refusal. */
export interface ActionRefusal {
  ok: false;
  code: ErrorCode;
  message: string;
}
export type ActionResult = { ok: true; alarm: Alarm; transitions: AlarmTransition[] } | ActionRefusal;
export interface AckOutcome {
  acknowledged: string[];
  refused: { id: string; code: ErrorCode; message: string }[];
  transitions: AlarmTransition[];
}

/** A planned change to one alarm: the record after it, and who and why. */
interface Change {
  next: AlarmRecord;
  user?: string;
  reason?: string;
}

/**
 * The alarms of one plant: applies what the pure parts plan (conditions from `evaluateConditions`,
 * suppression, lifecycle events from `applyLifeEvent`), numbers the resulting transitions, writes
 * them to the store in one transaction and only then takes them as current. Reads no clock: the
 * session passes wall time (ms) and sim time (s) in.
 */
export class AlarmBook {
  private cond!: ConditionState;
  private readonly records = new Map<string, AlarmRecord>();
  private seqNo: number;
  private simS = 0;
  /** Per line: sim time of the last raise, for first-out. */
  private lastRaiseS!: Float64Array;
  /** The changes `tick` plans, reused: it runs after every simulation step. */
  private readonly planned = new Map<string, Change>();
  /** Quality of what rules read (a plant fed by real sources); null: every input is good. */
  private inputs: InputQuality | null = null;
  private ticked = false;

  constructor(
    private compiled: CompiledRules,
    private readonly store: AlarmStore,
    private readonly layout: Layout,
  ) {
    this.seqNo = store.lastSeq();
    this.load(compiled);
  }

  /**
   * For a plant fed by real sources, before the loop runs: rules stop judging bad or stale inputs
   * (see evaluateConditions) and the built-in BAD-INPUT alarm is bound to each piece of `fed`
   * equipment (indexes) that a rule reads. Rebinds the rules and reloads the stored alarms.
   */
  bindInputQuality(inputs: InputQuality, fed: readonly number[]): void {
    if (this.ticked) throw new Error('bindInputQuality must be called before the first tick');
    const fileRules = this.compiled.rules.filter((r) => r !== BAD_INPUT_RULE);
    const bound = compileRules(fileRules, this.layout, { badInput: fed, hidden: this.compiled.hidden });
    // The same rules bound once already: only the reserved id could fail, and it failed then.
    if (!bound.ok) throw new Error(bound.errors.join('\n'));
    this.inputs = inputs;
    this.records.clear();
    this.load(bound.compiled);
  }

  /**
   * The same rules bound to another layout over the same store (the live plant switching to a
   * published layout), without touching this book: equipment the rules name that `layout` lacks
   * is left out (like hidden equipment), other misfits come back as the compiler's errors. Says
   * which of this book's alarms that are not normal have no binding there (`orphans`): retire them
   * with `retire`, then `build()` the new book, which loads the stored alarms that keep their
   * binding, states and all, and numbers on after the store's newest transition.
   */
  forLayout(
    layout: Layout,
  ): { ok: true; orphans: string[]; build: () => AlarmBook } | { ok: false; errors: string[] } {
    if (this.inputs) return { ok: false, errors: ['a plant fed by real sources cannot change its layout'] };
    const fileRules = this.compiled.rules.filter((r) => r !== BAD_INPUT_RULE);
    const ids = new Set(layout.equipment.map((e) => e.id));
    const gone = new Set(this.compiled.hidden);
    for (const r of fileRules) for (const id of r.equipment ?? []) if (!ids.has(id)) gone.add(id);
    const bound = compileRules(fileRules, layout, { hidden: gone });
    if (!bound.ok) return { ok: false, errors: bound.errors };
    const orphans: string[] = [];
    for (const r of this.records.values())
      if (r.alarm.state !== 'normal' && !bound.compiled.byAlarmId.has(r.alarm.id)) orphans.push(r.alarm.id);
    return { ok: true, orphans, build: () => new AlarmBook(bound.compiled, this.store, layout) };
  }

  /**
   * Returns alarms to normal for good (their equipment or rule left the plant): one journal entry
   * each, with `reason` and `user`, persisted before it returns. Alarms already normal are skipped.
   */
  retire(ids: readonly string[], user: string, reason: string, nowMs: number): AlarmTransition[] {
    const changes = new Map<string, Change>();
    for (const id of ids) {
      const r = this.records.get(id);
      if (!r || r.alarm.state === 'normal') continue;
      changes.set(id, {
        next: { ...withLife(r, initialLife(r.life.latching)), ackedSimS: null },
        user,
        reason,
      });
    }
    return changes.size ? this.commit(changes, nowMs) : [];
  }

  /** Takes `compiled` as the rules and loads the stored alarms that still have a binding. */
  private load(compiled: CompiledRules): void {
    const layout = this.layout;
    this.compiled = compiled;
    this.cond = createConditionState(compiled, layout.equipment.length);
    this.lastRaiseS = new Float64Array(compiled.lineFlows.length).fill(Number.NEGATIVE_INFINITY);
    this.templates = alarmTemplates(compiled.rules);
    for (const r of this.store.loadRecords()) {
      const b = compiled.byAlarmId.get(r.alarm.id);
      if (b === undefined) continue; // its rule or equipment is gone; the journal keeps its history
      // Alarms stored before texts were coded get their code now (from the rule as it is today).
      if (!r.alarm.text && !isBadInput(compiled, b))
        setAlarmText(r.alarm, compiled.rules[compiled.rule[b]], layout.equipment[compiled.eq[b]]);
      this.records.set(r.alarm.id, r);
      // Start from the stored condition, so a condition that is gone clears through the lifecycle.
      this.cond.cond[b] = r.life.active ? 1 : 0;
    }
  }

  /** Message template of every rule by rule id, in each language given (for clients to render Alarm.text). */
  templates: Readonly<Record<string, AlarmTemplate>> = {};

  /** Sequence number of the newest alarm transition. */
  get seq(): number {
    return this.seqNo;
  }

  /** Alarms that are not normal (snapshot, `GET /api/alarms`), oldest raise first. */
  current(): Alarm[] {
    const out: Alarm[] = [];
    for (const r of this.records.values()) if (r.alarm.state !== 'normal') out.push({ ...r.alarm });
    return out.sort((a, b) => a.raisedAt - b.raisedAt || a.id.localeCompare(b.id));
  }

  /** One alarm by id, or undefined. */
  get(id: string): Alarm | undefined {
    const r = this.records.get(id);
    return r ? { ...r.alarm } : undefined;
  }

  /**
   * One evaluation at sim time `simTimeS` (s): conditions and suppression when the simulation
   * stepped (the session calls it after every step, so results do not depend on how steps are
   * grouped into loop ticks), then shelve expiry (wall time `nowMs`) and re-alarm (sim time);
   * persists and returns the transitions in sequence order. The returned empty list is shared:
   * do not change it. Allocates nothing when nothing changes.
   */
  tick(
    equipment: readonly EquipmentRuntime[],
    simTimeS: number,
    nowMs: number,
    stepped: boolean,
  ): AlarmTransition[] {
    this.simS = simTimeS;
    this.ticked = true;
    const c = this.compiled;
    const changes = this.planned;
    changes.clear();
    if (stepped) {
      const n = evaluateConditions(c, this.cond, equipment, simTimeS, this.inputs);
      computeSuppression(c.lineFlows, this.cond, equipment, simTimeS);
      for (let k = 0; k < n; k++) {
        const b = this.cond.changed[k];
        const id = c.alarmIds[b];
        // Suppression first, so an alarm raised on equipment in maintenance is raised suppressed.
        this.plan(id, b, { type: 'suppression', suppressed: isSuppressed(c, this.cond, b, simTimeS) });
        this.plan(id, b, { type: 'condition', active: this.cond.cond[b] === 1 });
      }
      for (const r of this.records.values()) {
        const b = c.byAlarmId.get(r.alarm.id)!;
        const sup = isSuppressed(c, this.cond, b, simTimeS);
        if (sup !== r.life.suppressed) this.plan(r.alarm.id, b, { type: 'suppression', suppressed: sup });
      }
    }
    for (const r of this.records.values()) {
      const id = r.alarm.id;
      const b = c.byAlarmId.get(id)!;
      if (r.life.shelvedUntil !== null && r.life.shelvedUntil <= nowMs)
        this.plan(id, b, { type: 'unshelve' }, 'shelve expired');
      const reAlarmS = c.rules[c.rule[b]].reAlarmS;
      if (reAlarmS > 0 && r.ackedSimS !== null && simTimeS - r.ackedSimS >= reAlarmS)
        this.plan(id, b, { type: 're-alarm' }, 're-alarm');
      // The value an active alarm shows follows the signal (in memory; transitions carry a copy).
      if (r.life.active) r.alarm.value = reportedValue(c, b, this.cond.value[b]);
    }
    if (changes.size === 0) return NO_TRANSITIONS;
    const out = this.commit(changes, nowMs);
    changes.clear();
    return out;
  }

  /** Plans lifecycle event `ev` for alarm `id` (binding `b`) on top of what this tick planned already. */
  private plan(id: string, b: number, ev: LifeEvent, reason?: string): void {
    const r = this.planned.get(id)?.next ?? this.recordOf(id, b);
    const res = applyLifeEvent(r.life, ev);
    if (res.ok && res.life !== r.life) this.planned.set(id, { next: withLife(r, res.life), reason });
  }

  /** Acknowledges several alarms at once: the valid ones in one transaction; the rest refused. */
  ack(ids: readonly string[], user: string, nowMs: number): AckOutcome {
    const changes = new Map<string, Change>();
    const refused: AckOutcome['refused'] = [];
    for (const id of new Set(ids)) {
      const r = this.records.get(id);
      if (!r) {
        refused.push({ id, code: 'NOT_FOUND', message: `no alarm "${id}" has been raised` });
        continue;
      }
      const res = applyLifeEvent(r.life, { type: 'ack' });
      if (!res.ok) refused.push({ id, code: res.code, message: res.message });
      else changes.set(id, { next: { ...withLife(r, res.life), ackedSimS: this.simS }, user });
    }
    for (const ch of changes.values()) {
      ch.next.alarm.ackedBy = user;
      ch.next.alarm.ackedAt = nowMs;
    }
    const transitions = changes.size ? this.commit(changes, nowMs) : [];
    return { acknowledged: [...changes.keys()], refused, transitions };
  }

  /** Shelves an alarm for `minutes` of wall time. */
  shelve(id: string, minutes: number, reason: string, user: string, nowMs: number): ActionResult {
    const until = nowMs + minutes * 60_000;
    return this.act(id, { type: 'shelve', until }, user, reason, nowMs, (a) => {
      a.shelvedUntil = until;
      a.shelvedBy = user;
      a.reason = reason;
    });
  }

  /** Ends a shelve by hand. */
  unshelve(id: string, user: string, nowMs: number): ActionResult {
    return this.act(id, { type: 'unshelve' }, user, undefined, nowMs);
  }

  /** Takes an alarm out of service (enabled) or puts it back. */
  outOfService(id: string, enabled: boolean, reason: string, user: string, nowMs: number): ActionResult {
    return this.act(id, { type: 'out-of-service', enabled }, user, reason, nowMs, (a) => {
      if (enabled) a.reason = reason;
    });
  }

  /** Transitions after `seq` (oldest first), or CONFLICT when the client must take a snapshot. */
  since(seq: number): { ok: true; transitions: AlarmTransition[] } | ActionRefusal {
    if (seq > this.seqNo)
      return { ok: false, code: 'CONFLICT', message: `seq ${seq} is ahead of this server (${this.seqNo})` };
    if (seq === this.seqNo) return { ok: true, transitions: [] };
    const list = this.store.since(seq, MAX_CATCH_UP + 1);
    if (list.length > MAX_CATCH_UP || list[0]?.seq !== seq + 1)
      return { ok: false, code: 'CONFLICT', message: 'too far behind: take a fresh snapshot' };
    return { ok: true, transitions: list };
  }

  /** Journal entries (`GET /api/alarms/history`), newest first. */
  history(q: HistoryQuery): AlarmTransition[] {
    return this.store.history(q);
  }

  /** Alarm-system health at `nowMs` (`GET /api/alarms/stats`). */
  stats(nowMs: number): AlarmStats {
    const from = nowMs - HEALTH_DEFAULTS.topWindowMs;
    return computeAlarmStats(this.store.raises(from), this.current(), nowMs);
  }

  private act(
    id: string,
    ev: LifeEvent,
    user: string,
    reason: string | undefined,
    nowMs: number,
    edit?: (a: Alarm) => void,
  ): ActionResult {
    const b = this.compiled.byAlarmId.get(id);
    if (b === undefined) return { ok: false, code: 'NOT_FOUND', message: `no alarm "${id}"` };
    const r = this.recordOf(id, b);
    const res = applyLifeEvent(r.life, ev);
    if (!res.ok) return res;
    const next = withLife(r, res.life);
    edit?.(next.alarm);
    const transitions = this.commit(new Map([[id, { next, user, reason }]]), nowMs);
    return { ok: true, alarm: { ...this.records.get(id)!.alarm }, transitions };
  }

  private recordOf(id: string, b: number): AlarmRecord {
    return this.records.get(id) ?? newRecord(this.compiled, b, this.layout.equipment[this.compiled.eq[b]]);
  }

  /** Numbers, stamps and persists the planned changes; only after the commit are they current. */
  private commit(changes: Map<string, Change>, nowMs: number): AlarmTransition[] {
    const c = this.compiled;
    const transitions: AlarmTransition[] = [];
    const records: AlarmRecord[] = [];
    let seq = this.seqNo;
    const lastRaise = this.lastRaiseS.slice();
    for (const [id, ch] of changes) {
      const prev = this.records.get(id);
      const from = prev?.alarm.state ?? 'normal';
      const next = ch.next;
      const to = displayState(next.life);
      records.push(next);
      if (from === to) continue;
      const b = c.byAlarmId.get(id)!;
      const a = next.alarm;
      a.seq = ++seq;
      if (isRaise(from, to)) {
        const line = c.lineOf[c.eq[b]];
        a.raisedAt = nowMs;
        a.raisedSimS = this.simS;
        a.value = reportedValue(c, b, this.cond.value[b]);
        const spec = this.layout.equipment[c.eq[b]];
        if (isBadInput(c, b)) setBadInputText(a, spec, badInputSignals(c, b, spec, this.inputs));
        else setAlarmText(a, c.rules[c.rule[b]], spec);
        delete a.ackedBy;
        delete a.ackedAt;
        next.ackedSimS = null;
        if (line >= 0) {
          a.firstOut = this.simS - lastRaise[line] > FIRST_OUT_WINDOW_S;
          lastRaise[line] = this.simS;
        }
      }
      if (to === 'normal' || (to === 'unacknowledged' && from === 'acknowledged')) next.ackedSimS = null;
      const t: AlarmTransition = {
        seq: a.seq,
        at: nowMs,
        alarmId: id,
        equipmentId: a.equipmentId,
        from,
        to,
        alarm: { ...a },
      };
      if (ch.user !== undefined) t.user = ch.user;
      if (ch.reason !== undefined) t.reason = ch.reason;
      transitions.push(t);
    }
    this.store.commit(transitions, records);
    this.seqNo = seq;
    this.lastRaiseS.set(lastRaise);
    for (const r of records) this.records.set(r.alarm.id, r);
    return transitions;
  }
}
