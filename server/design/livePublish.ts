import {
  type AlarmTransition,
  BASE_PLANT_VERSION,
  diffLayouts,
  type Layout,
  type LayoutDiff,
  PUBLISH_CONFIRMATION_TTL_MS,
  type PublishedVersion,
  type PublishSummary,
  parseLayout,
} from '../../protocol';
import { enText } from '../../protocol/textEn';
import type { AlarmBook } from '../alarms/alarmBook';
import type { LivePlantHolder } from '../session/livePlant';
import { PlantSession } from '../session/plantSession';
import type { DesignStore } from '../store/designStore';
import type { Publication, PublishStore } from '../store/publishStore';
import { Confirmations } from '../transport/confirmations';

/** Journal reason of alarms that end because their equipment left the plant. */
export const RETIRED_REASON = 'equipment removed from the plant layout';

/** Why a publish cannot go ahead: HTTP status, code and message (and the loader's errors). */
export interface PublishRefusal {
  ok: false;
  status: 403 | 404 | 409 | 422;
  code: 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'INVALID';
  message: string;
  errors?: string[];
}

/** A layout that could go live now, and what it would change. */
interface Candidate {
  ok: true;
  layout: Layout;
  diff: LayoutDiff;
  summary: PublishSummary;
  /** Builds the alarms over the new layout once the orphans were retired. */
  retire: string[];
  build: (() => AlarmBook) | null;
}

/** What the live plant switched to. */
export interface Switched {
  entry: PublishedVersion;
  summary: PublishSummary;
  /** Alarms that ended with the switch (already persisted). */
  retired: AlarmTransition[];
}

export interface LivePublishDeps {
  holder: LivePlantHolder;
  designs: DesignStore;
  publications: PublishStore;
  /** The plant file the server started from (built-in or `--plant`) and its path, for "base". */
  base: { layout: Layout; path: string };
  /** Which publication runs now (null: the plant file, as at a start with `--plant` or none yet). */
  liveSeq: number | null;
  /** Wall time the server started, ms since epoch (the plant file's entry). */
  startedAt: number;
  now: () => number;
  /** Set: publishing is refused with this reason (a plant fed by real sources). */
  refuse?: string | null;
}

/**
 * Publishes saved design versions to the live plant and rolls back to earlier ones: checks the
 * layout (loader and alarm rules), hands out single-use confirmations bound to user and version,
 * and switches the live plant to a new PlantSession on the layout (same seed and speed, the event
 * log carried on, alarms of equipment that stays kept, those of equipment that left ended).
 */
export class LivePublish {
  private readonly confirmations: Confirmations;
  private liveSeq: number | null;

  constructor(private readonly deps: LivePublishDeps) {
    this.confirmations = new Confirmations(deps.now, PUBLISH_CONFIRMATION_TTL_MS);
    this.liveSeq = deps.liveSeq;
  }

  /** Why publishing is off on this server, or null. */
  get refusedReason(): string | null {
    return this.deps.refuse ?? null;
  }

  /** The plant file first, then every publication, oldest first; exactly one is live. */
  list(): PublishedVersion[] {
    const base: PublishedVersion = {
      seq: 0,
      version: BASE_PLANT_VERSION,
      designId: null,
      designName: null,
      message: `plant file ${this.deps.base.path}`,
      publishedBy: null,
      publishedAt: this.deps.startedAt,
      rollback: false,
      live: this.liveSeq === null,
    };
    return [base, ...this.deps.publications.list().map((p) => this.entry(p))];
  }

  /** Equipment of the live plant now. */
  equipment(): number {
    return this.deps.holder.session.layout.equipment.length;
  }

  /** The version id the live plant runs now. */
  liveVersion(): string {
    return this.list().find((e) => e.live)?.version ?? BASE_PLANT_VERSION;
  }

  /**
   * The first step: what publishing `versionId` would change and a confirmation. `designId` set:
   * the version must belong to that draft (publish); null: it must have been published before or
   * be "base" (rollback).
   */
  preview(
    user: string,
    versionId: string,
    designId: string | null,
  ):
    | { ok: true; diff: LayoutDiff; summary: PublishSummary; confirmation: string; expiresAt: number }
    | PublishRefusal {
    const c = this.candidate(versionId, designId);
    if (!c.ok) return c;
    const issued = this.confirmations.issue(binding(user, versionId, designId), versionId);
    return {
      ok: true,
      diff: c.diff,
      summary: c.summary,
      confirmation: issued.token,
      expiresAt: issued.expiresAt,
    };
  }

  /** Checks what `publish` would check, without a confirmation (the route audits only what may act). */
  check(versionId: string, designId: string | null): { ok: true } | PublishRefusal {
    const c = this.candidate(versionId, designId);
    return c.ok ? { ok: true } : c;
  }

  /** Uses the confirmation (refused: nothing consumed or changed). */
  confirm(
    user: string,
    versionId: string,
    designId: string | null,
    token: string,
  ): { ok: true } | PublishRefusal {
    const used = this.confirmations.consume(token, binding(user, versionId, designId));
    if (!used.ok)
      return { ok: false, status: 409, code: 'CONFLICT', message: `confirmation: ${used.message}` };
    return { ok: true };
  }

  /**
   * The second step, after `confirm` and the audit's pending entry: ends the alarms of equipment
   * that leaves, records the publication, and switches the live plant.
   */
  publish(user: string, versionId: string, designId: string | null): Switched | PublishRefusal {
    const c = this.candidate(versionId, designId);
    if (!c.ok) return c;
    const { holder } = this.deps;
    const prev = holder.session;
    const nowMs = this.deps.now();
    const retired = c.retire.length ? (prev.alarms?.retire(c.retire, user, RETIRED_REASON, nowMs) ?? []) : [];
    const alarms = c.build ? c.build() : null;
    const next = new PlantSession(c.layout, {
      seed: prev.world.seed,
      speed: prev.speed,
      alarms,
      startMs: prev.nowMs,
      events: prev.events(),
    });
    next.announce([
      {
        simTimeS: next.world.simTimeS,
        type: 'info',
        severity: 'info',
        ...enText('event.plant.layoutChanged', {
          version: versionId,
          user,
          equipment: c.layout.equipment.length,
        }),
      },
    ]);
    const version = versionId === BASE_PLANT_VERSION ? null : this.deps.designs.version(versionId);
    const p = this.deps.publications.add({
      versionId,
      designId: version?.designId ?? null,
      message: version?.message ?? `plant file ${this.deps.base.path}`,
      publishedBy: user,
      publishedAt: nowMs,
      rollback: designId === null,
    });
    this.liveSeq = p.seq;
    holder.switchTo(next, retired);
    return { entry: this.entry(p), summary: c.summary, retired };
  }

  private entry(p: Publication): PublishedVersion {
    return {
      seq: p.seq,
      version: p.versionId,
      designId: p.designId,
      designName: p.designId ? (this.deps.designs.get(p.designId)?.name ?? null) : null,
      message: p.message,
      publishedBy: p.publishedBy,
      publishedAt: p.publishedAt,
      rollback: p.rollback,
      live: p.seq === this.liveSeq,
    };
  }

  /** The version's layout checked as the loader and the alarm rules check a plant file. */
  private candidate(versionId: string, designId: string | null): Candidate | PublishRefusal {
    if (this.deps.refuse) return { ok: false, status: 409, code: 'CONFLICT', message: this.deps.refuse };
    let raw: unknown;
    if (versionId === BASE_PLANT_VERSION) {
      if (designId !== null) return notFound(`no version ${versionId}`);
      raw = this.deps.base.layout;
    } else {
      const v = this.deps.designs.version(versionId);
      if (!v || (designId !== null && v.designId !== designId))
        return notFound(
          designId ? `design ${designId} has no version ${versionId}` : `no version ${versionId}`,
        );
      if (designId === null && !this.deps.publications.list().some((p) => p.versionId === versionId))
        return notFound(`version ${versionId} was never published: publish it from its design first`);
      raw = JSON.parse(this.deps.designs.versionLayoutJson(versionId) ?? 'null') as unknown;
    }
    const parsed = parseLayout(raw);
    if (!parsed.ok) {
      const more = parsed.errors.length > 1 ? ` (and ${parsed.errors.length - 1} more)` : '';
      return {
        ok: false,
        status: 422,
        code: 'INVALID',
        message: `version ${versionId} has errors, fix them in a new version: ${parsed.errors[0]}${more}`,
        errors: parsed.errors,
      };
    }
    const layout = parsed.layout;
    const current = this.deps.holder.session;
    const bound = current.alarms ? current.alarms.forLayout(layout) : null;
    if (bound && !bound.ok)
      return {
        ok: false,
        status: 422,
        code: 'INVALID',
        message: `the alarm rules do not fit version ${versionId}: ${bound.errors[0]}`,
        errors: bound.errors,
      };
    const diff = diffLayouts(current.layout, layout);
    const retire = bound?.ok ? bound.orphans : [];
    return {
      ok: true,
      layout,
      diff,
      summary: summarize(diff, current.layout, layout, retire.length),
      retire,
      build: bound?.ok ? bound.build : null,
    };
  }
}

const notFound = (message: string): PublishRefusal => ({
  ok: false,
  status: 404,
  code: 'NOT_FOUND',
  message,
});

/** A confirmation binds user, version and where it was asked (a draft's publish or a rollback). */
function binding(user: string, versionId: string, designId: string | null) {
  return { scope: 'publish', user, equipmentId: versionId, action: designId ?? 'rollback', node: null };
}

function summarize(diff: LayoutDiff, from: Layout, to: Layout, alarmsEnding: number): PublishSummary {
  const e = diff.equipment;
  const coll = [diff.zones, diff.lines, diff.droneRoutes, diff.viewpoints];
  const p = diff.paths;
  const other =
    diff.plant.length +
    coll.reduce((n, c) => n + c.added.length + c.removed.length + c.changed.length, 0) +
    p.nodesAdded.length +
    p.nodesRemoved.length +
    p.nodesMoved.length +
    p.edgesAdded.length +
    p.edgesRemoved.length;
  return {
    equipmentBefore: from.equipment.length,
    equipmentAfter: to.equipment.length,
    equipmentAdded: e.added.length,
    equipmentRemoved: e.removed.length,
    equipmentMoved: e.moved.length,
    equipmentChanged: e.changed.length,
    otherChanges: other,
    alarmsEnding,
  };
}
