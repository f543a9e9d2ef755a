import type { CSSProperties } from 'react';
import type { AlarmPriority, Layout } from '../../../protocol';
import { priorityColor } from '../../theme';
import { kindLabel } from '../kindLabel';
import { ALARM_PRIORITIES, type AlarmFilter, PRIORITY_LABEL, type StateFilter } from './alarmView';

/** Props of AlarmFilters. */
export interface AlarmFiltersProps {
  filter: AlarmFilter;
  layout: Layout | null;
  onChange: (next: AlarmFilter) => void;
}

const STATE_OPTIONS: { value: StateFilter; label: string }[] = [
  { value: 'all', label: 'Any state' },
  { value: 'unacked', label: 'Unacknowledged' },
  { value: 'active', label: 'Active' },
  { value: 'shelved', label: 'Shelved' },
  { value: 'suppressed', label: 'Suppressed' },
  { value: 'out-of-service', label: 'Out of service' },
];

/** Compact filters: priority toggles, zone, kind and state selects. */
export function AlarmFilters({ filter, layout, onChange }: AlarmFiltersProps) {
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
          {PRIORITY_LABEL[p]}
        </button>
      ))}
      <select
        className="select"
        aria-label="Zone"
        value={filter.zone ?? ''}
        onChange={(e) => onChange({ ...filter, zone: e.target.value || null })}
      >
        <option value="">Any zone</option>
        {layout?.zones.map((z) => (
          <option key={z.id} value={z.id}>
            {z.name}
          </option>
        ))}
      </select>
      <select
        className="select"
        aria-label="Kind"
        value={filter.kind ?? ''}
        onChange={(e) => onChange({ ...filter, kind: e.target.value || null })}
      >
        <option value="">Any kind</option>
        {kinds.map((k) => (
          <option key={k} value={k}>
            {kindLabel[k]}
          </option>
        ))}
      </select>
      <select
        className="select"
        aria-label="State"
        value={filter.state}
        onChange={(e) => onChange({ ...filter, state: e.target.value as StateFilter })}
        data-testid="alarm-filter-state"
      >
        {STATE_OPTIONS.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
