import { type ReactNode, useEffect, useId, useState } from 'react';
import type { DesignVersion, EntryRef } from '../../protocol';
import { formatNumber } from '../hud/format';
import { refusalText } from '../i18n/refusalText';
import { useT } from '../i18n/useT';
import { MARK_COLOR } from './ChangeMarksView';
import type { MarkTone } from './changeMarks';
import { saveDraft, useSaveStore } from './designActions';
import { fetchVersions } from './designApi';
import { loadDiff, useDesignPanels } from './designPanels';
import { isDirty, useDesignStore } from './designStore';
import { isKind } from './layoutEdits';

/** Props of ChangesPanel (none: it reads the stores). */
export type ChangesPanelProps = Record<string, never>;

/** The smallest turn worth writing, degrees (the diff's own threshold is finer). */
const TURN_SHOWN_DEG = 0.05;

/** Turn from `a` to `b` in degrees, the short way round (-180..180]. */
export function turnDeg(a: number, b: number): number {
  const d = ((((b - a) % 360) + 540) % 360) - 180;
  return d === -180 ? 180 : d;
}

/**
 * What the draft as saved on the server changes against the live plant (or a saved version):
 * equipment added, removed, moved (distance and turn) and changed (field names), each selecting its
 * equipment on click; the rest (zones, lines, paths...) counted. The view marks them meanwhile.
 */
export function ChangesPanel(_: ChangesPanelProps) {
  const { t, locale } = useT();
  const design = useDesignStore((s) => s.design);
  const saved = useDesignStore((s) => s.saved);
  const dirty = useDesignStore(isDirty);
  const selected = useDesignStore((s) => s.selected);
  const saving = useSaveStore((s) => s.saving);
  const { baseline, diff, loading, failed } = useDesignPanels();
  const [versions, setVersions] = useState<DesignVersion[]>([]);
  const baseId = useId();
  const id = design?.id;
  const versionCount = design?.versions ?? 0;

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new save or baseline is a new diff.
  useEffect(() => {
    if (id) void loadDiff(id);
  }, [id, baseline, saved]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reread when a version is added.
  useEffect(() => {
    if (!id) return;
    let live = true;
    void fetchVersions(id).then((r) => {
      if (live && r.ok) setVersions([...r.versions].sort((a, b) => b.createdAt - a.createdAt));
    });
    return () => {
      live = false;
    };
  }, [id, versionCount]);

  const kindName = (k?: string) => (k && isKind(k) ? t(`kind.${k}`) : (k ?? ''));
  const pick = (eid: string) => useDesignStore.getState().select(eid);
  const entry = (tone: MarkTone, e: EntryRef, detail: string | null, pickable: boolean) => (
    <li key={`${tone}-${e.id}`}>
      <button
        type="button"
        className={selected === e.id ? 'design-change is-on' : 'design-change'}
        disabled={!pickable}
        aria-pressed={selected === e.id}
        onClick={() => pick(e.id)}
        data-testid={`change-${tone}-${e.id}`}
      >
        <span className="design-change__swatch" style={{ background: MARK_COLOR[tone] }} aria-hidden="true" />
        <span className="design-change__id">{e.id}</span>
        <span className="design-change__kind">{kindName(e.kind)}</span>
        {detail && <span className="design-change__detail figure">{detail}</span>}
      </button>
    </li>
  );
  const group = (tone: MarkTone, title: string, items: ReactNode[]) =>
    items.length > 0 && (
      <section className="design-changes__group" aria-label={title} key={tone}>
        <h3 className="design-changes__head">
          {title} <span className="figure">{items.length}</span>
        </h3>
        <ul className="design-changes__list">{items}</ul>
      </section>
    );

  const eq = diff?.equipment;
  const other =
    diff && eq ? diff.total - eq.added.length - eq.removed.length - eq.moved.length - eq.changed.length : 0;

  return (
    <section
      className="design-panel panel design-changes"
      aria-labelledby="design-changes-title"
      data-testid="design-changes"
    >
      <h2 className="panel__title" id="design-changes-title">
        {t('design.changes.title')}
        {diff && <span className="panel__count figure">{diff.total}</span>}
      </h2>
      <div className="design-panel__body design-changes__body">
        <div className="design-field">
          <label htmlFor={baseId}>{t('design.changes.against')}</label>
          <select
            id={baseId}
            className="design-input"
            value={baseline}
            onChange={(e) => useDesignPanels.setState({ baseline: e.target.value })}
            data-testid="changes-baseline"
          >
            <option value="live">{t('design.drafts.live')}</option>
            {versions.map((v) => (
              <option key={v.id} value={v.id}>
                {v.message} ·{' '}
                {new Date(v.createdAt).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' })}
              </option>
            ))}
          </select>
        </div>
        <p className="design-muted design-changes__note">
          {dirty ? t('design.changes.unsaved') : t('design.changes.asSaved')}
        </p>
        {dirty && (
          <button
            type="button"
            className="button"
            disabled={saving}
            onClick={() => void saveDraft()}
            data-testid="changes-save"
          >
            {t('design.changes.saveFirst')}
          </button>
        )}
        {failed && (
          <p className="design-error" role="alert">
            {refusalText(locale, failed)}
          </p>
        )}
        {loading && !diff && <p className="design-muted">{t('design.changes.loading')}</p>}
        {diff && eq && (
          <div className="design-changes__groups" aria-busy={loading}>
            {diff.total === 0 && <p className="design-muted">{t('design.changes.none')}</p>}
            {group(
              'added',
              t('design.changes.added'),
              eq.added.map((e) => entry('added', e, null, true)),
            )}
            {group(
              'removed',
              t('design.changes.removed'),
              eq.removed.map((e) => entry('removed', e, null, false)),
            )}
            {group(
              'moved',
              t('design.changes.moved'),
              eq.moved.map((m) => {
                const turn = turnDeg(m.rotationFrom, m.rotationTo);
                const parts = [t('design.changes.distance', { m: formatNumber(m.distanceM, 1) })];
                if (Math.abs(turn) >= TURN_SHOWN_DEG)
                  parts.push(`${turn > 0 ? '+' : '−'}${formatNumber(Math.abs(turn), 0)}°`);
                return entry('moved', m, parts.join(' · '), true);
              }),
            )}
            {group(
              'changed',
              t('design.changes.changed'),
              eq.changed.map((c) => entry('changed', c, c.fields.join(', '), true)),
            )}
            {other > 0 && <p className="design-muted">{t('design.changes.other', { n: other })}</p>}
          </div>
        )}
      </div>
    </section>
  );
}
