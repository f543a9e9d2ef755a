import type { CSSProperties } from 'react';
import { type AlarmPriority, type Layout, pickText } from '../../../protocol';
import { kindKey, priorityKey } from '../../i18n/labels';
import type { MessageKey } from '../../i18n/messages';
import { useT } from '../../i18n/useT';
import { priorityColor, priorityGlyph } from '../../theme';
import { ALARM_PRIORITIES, type AlarmFilter, type StateFilter } from './alarmView';

/** Props of AlarmFilters. */
export interface AlarmFiltersProps {
  filter: AlarmFilter;
  layout: Layout | null;
  onChange: (next: AlarmFilter) => void;
}

const STATE_OPTIONS: readonly StateFilter[] = [
  'all',
  'unacked',
  'active',
  'shelved',
  'suppressed',
  'out-of-service',
];
const stateOptionKey = (f: StateFilter): MessageKey => `alarmFilter.${f}`;

/** Compact filters: priority toggles, zone, kind and state selects. */
export function AlarmFilters({ filter, layout, onChange }: AlarmFiltersProps) {
  const { t, locale } = useT();
  const togglePriority = (p: AlarmPriority) => {
    const next = new Set(filter.priorities);
    if (next.has(p)) next.delete(p);
    else next.add(p);
    onChange({ ...filter, priorities: next });
  };
  const kinds = layout ? [...new Set(layout.equipment.map((e) => e.kind))].sort() : [];
  return (
    <div className="alarm-filters" data-testid="alarm-filters">
      {ALARM_PRIORITIES.map((p) => (
        <button
          key={p}
          type="button"
          className={filter.priorities.has(p) ? 'toggle toggle--prio is-on' : 'toggle toggle--prio'}
          style={{ '--prio-color': priorityColor[p] } as CSSProperties}
          aria-pressed={filter.priorities.has(p)}
          onClick={() => togglePriority(p)}
          data-testid={`alarm-filter-${p}`}
        >
          <span aria-hidden="true">{priorityGlyph[p]} </span>
          {t(priorityKey(p))}
        </button>
      ))}
      <select
        className="select"
        aria-label={t('alarmFilter.zone')}
        value={filter.zone ?? ''}
        onChange={(e) => onChange({ ...filter, zone: e.target.value || null })}
      >
        <option value="">{t('alarmFilter.anyZone')}</option>
        {layout?.zones.map((z) => (
          <option key={z.id} value={z.id}>
            {pickText(z.name, z.names, locale)}
          </option>
        ))}
      </select>
      <select
        className="select"
        aria-label={t('alarmFilter.kind')}
        value={filter.kind ?? ''}
        onChange={(e) => onChange({ ...filter, kind: e.target.value || null })}
      >
        <option value="">{t('alarmFilter.anyKind')}</option>
        {kinds.map((k) => (
          <option key={k} value={k}>
            {t(kindKey(k))}
          </option>
        ))}
      </select>
      <select
        className="select"
        aria-label={t('alarmFilter.state')}
        value={filter.state}
        onChange={(e) => onChange({ ...filter, state: e.target.value as StateFilter })}
        data-testid="alarm-filter-state"
      >
        {STATE_OPTIONS.map((o) => (
          <option key={o} value={o}>
            {t(stateOptionKey(o))}
          </option>
        ))}
      </select>
    </div>
  );
}
