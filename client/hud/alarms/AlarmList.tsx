import { type KeyboardEvent, type MouseEvent, useEffect, useMemo, useRef, useState } from 'react';
import { type Alarm, can, pickText } from '../../../protocol';
import { useAuthStore } from '../../auth/authStore';
import { useT } from '../../i18n/useT';
import { ackAlarms, setAlarmOutOfService, shelveAlarm, unshelveAlarm } from '../../net/alarmActions';
import { useAlarmStore } from '../../state/alarmStore';
import { reportResult, useAlarmUiStore } from '../../state/alarmUiStore';
import { usePlantStore } from '../../state/plantStore';
import { useSelectionStore } from '../../state/selectionStore';
import { AlarmFilters } from './AlarmFilters';
import { AlarmRow } from './AlarmRow';
import { AlarmToolbar } from './AlarmToolbar';
import {
  type AlarmFilter,
  type AlarmSort,
  type EquipmentPlace,
  filterAlarms,
  isUnacked,
  NO_FILTER,
  rangeIds,
  sortAlarms,
} from './alarmView';
import { ReasonDialog } from './ReasonDialog';

/** Rows rendered at most (a 10,000-machine outage must not build 10,000 rows; a flood of 100 fits). */
const MAX_ROWS = 400;

/** Props of AlarmList (none: it reads the stores). */
export type AlarmListProps = Record<string, never>;

type Dialog = { kind: 'shelve' | 'oos'; alarm: Alarm } | null;

/**
 * The alarm list: filters, sort, multi-select (checkbox, shift-click for a range), acknowledge
 * one/several/all visible, shelve with duration and reason, unshelve, out of service. A row click
 * flies the camera to the equipment; a 3D marker click scrolls here and highlights the row.
 */
export function AlarmList(_: AlarmListProps) {
  const { t, locale } = useT();
  const alarms = useAlarmStore((s) => s.alarms);
  const layout = usePlantStore((s) => s.layout);
  const focus = useAlarmUiStore((s) => s.focus);
  const role = useAuthStore((s) => s.role);
  const canAct = can(role, 'alarm:act');
  const [filter, setFilter] = useState<AlarmFilter>(NO_FILTER);
  const [sort, setSort] = useState<AlarmSort>('priority');
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  // A closed dialog gives the keyboard back to its opener, else to its alarm's row.
  const rowOf = (id: string) => () =>
    body.current?.querySelector<HTMLElement>(`[data-alarm="${CSS.escape(id)}"]`);
  const anchor = useRef<string | null>(null);
  const body = useRef<HTMLDivElement>(null);

  const places = useMemo(() => {
    const m = new Map<string, EquipmentPlace>();
    for (const e of layout?.equipment ?? [])
      m.set(e.id, { zone: e.zone, kind: e.kind, name: pickText(e.name, e.names, locale) });
    return m;
  }, [layout, locale]);
  const rows = useMemo(
    () =>
      sortAlarms(
        filterAlarms(alarms.values(), filter, (id) => places.get(id)),
        sort,
      ),
    [alarms, filter, sort, places],
  );
  const order = rows.map((a) => a.id);
  // Selection only holds alarms that still exist.
  const selected = [...checked].filter((id) => alarms.has(id));
  const single = selected.length === 1 ? (alarms.get(selected[0]) ?? null) : null;

  // A marker click: show the alarm (clearing filters that hide it), scroll to it, highlight it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs per focus request only.
  useEffect(() => {
    if (!focus) return;
    setFocusedId(focus.alarmId);
    if (!rows.some((a) => a.id === focus.alarmId)) setFilter(NO_FILTER);
    const reveal = () => {
      const row = body.current?.querySelector<HTMLElement>(`[data-alarm="${CSS.escape(focus.alarmId)}"]`);
      row?.scrollIntoView({ block: 'nearest' });
      // Alt+N puts the keyboard on the row, so Enter acknowledges it next.
      if (focus.keyboard) row?.focus();
      return row != null;
    };
    // At once when the row is shown (a later frame can come after the user's next key while the
    // 3D scene is busy); after the next paint when a filter had hidden it.
    if (!reveal()) requestAnimationFrame(reveal);
  }, [focus]);

  const toggle = (id: string, e: MouseEvent) => {
    setChecked((prev) => {
      const next = new Set(prev);
      if (e.shiftKey) for (const r of rangeIds(order, anchor.current, id)) next.add(r);
      else if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
    anchor.current = id;
  };
  const open = (a: Alarm, e: MouseEvent) => {
    if (e.shiftKey || e.ctrlKey || e.metaKey) {
      toggle(a.id, e);
      return;
    }
    anchor.current = a.id;
    setFocusedId(a.id);
    useSelectionStore.getState().flyToEquipment(a.equipmentId);
  };
  const ack = (ids: string[]) => {
    if (ids.length > 0) void ackAlarms(ids).then(reportResult);
  };
  const focusRow = (id: string) => {
    setFocusedId(id);
    anchor.current = id;
    body.current?.querySelector<HTMLElement>(`[data-alarm="${CSS.escape(id)}"]`)?.focus();
  };
  // The focused row's keys: Enter acknowledges (or flies to an acknowledged one), Space selects,
  // arrows move, Home/End jump.
  const onKey = (a: Alarm, e: KeyboardEvent) => {
    if (e.target !== e.currentTarget) return;
    const at = order.indexOf(a.id);
    if (e.key === 'Enter') {
      e.preventDefault();
      if (isUnacked(a.state) && canAct) ack([a.id]);
      else useSelectionStore.getState().flyToEquipment(a.equipmentId);
    } else if (e.key === ' ') {
      e.preventDefault();
      toggle(a.id, e as unknown as MouseEvent);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = order[Math.max(0, Math.min(order.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)))];
      if (next) focusRow(next);
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      const next = e.key === 'Home' ? order[0] : order[Math.min(order.length, MAX_ROWS) - 1];
      if (next) focusRow(next);
    }
  };
  const visibleUnacked = rows.filter((a) => isUnacked(a.state)).map((a) => a.id);
  const shown = rows.length > MAX_ROWS ? rows.slice(0, MAX_ROWS) : rows;
  // One row is in the tab order: the focused one while shown, else the first.
  const tabStopId =
    focusedId !== null && shown.some((a) => a.id === focusedId) ? focusedId : (shown[0]?.id ?? null);

  return (
    <div className="alarm-list" data-testid="alarm-list">
      <AlarmFilters filter={filter} layout={layout} onChange={setFilter} />
      <AlarmToolbar
        selected={selected.length}
        visibleUnacked={visibleUnacked.length}
        singleState={single?.state ?? null}
        sort={sort}
        canAct={canAct}
        canOutOfService={can(role, 'alarm:out-of-service')}
        onAckSelected={() => ack(selected.filter((id) => isUnacked(alarms.get(id)?.state ?? 'normal')))}
        onAckVisible={() => ack(visibleUnacked)}
        onShelve={() => single && setDialog({ kind: 'shelve', alarm: single })}
        onUnshelve={() => single && void unshelveAlarm(single.id).then(reportResult)}
        onOutOfService={() => single && setDialog({ kind: 'oos', alarm: single })}
        onSort={setSort}
        onClearSelection={() => setChecked(new Set())}
      />
      <div className="alarm-table">
        <div className="alarm-row alarm-row--head" aria-hidden="true">
          <span />
          <span>{t('alarmList.priority')}</span>
          <span>{t('alarmList.time')}</span>
          <span>{t('alarmList.equipment')}</span>
          <span>{t('alarmList.message')}</span>
          <span>{t('alarmList.valueLimit')}</span>
          <span>{t('alarmList.state')}</span>
          <span />
        </div>
        <div className="alarm-table__body" ref={body}>
          {rows.length === 0 && (
            <div className="alarm-table__empty">
              {alarms.size === 0 ? t('alarmList.none') : t('alarmList.noMatch')}
            </div>
          )}
          {shown.map((a) => (
            <AlarmRow
              key={a.id}
              alarm={a}
              checked={checked.has(a.id)}
              focused={a.id === focusedId}
              tabStop={a.id === tabStopId}
              onKey={onKey}
              name={places.get(a.equipmentId)?.name}
              onToggle={toggle}
              onOpen={open}
              onAck={canAct ? (id) => ack([id]) : undefined}
            />
          ))}
          {rows.length > shown.length && (
            <div className="alarm-table__empty">{t('alarmList.more', { n: rows.length - shown.length })}</div>
          )}
        </div>
      </div>
      {dialog?.kind === 'shelve' && (
        <ReasonDialog
          title={t('alarmDialog.shelveTitle', { id: dialog.alarm.id })}
          withDuration
          submitLabel={t('alarmDialog.shelve')}
          onCancel={() => setDialog(null)}
          returnFocusTo={rowOf(dialog.alarm.id)}
          onSubmit={(reason, minutes) => {
            setDialog(null);
            void shelveAlarm(dialog.alarm.id, minutes, reason).then(reportResult);
          }}
        />
      )}
      {dialog?.kind === 'oos' && (
        <ReasonDialog
          title={t(
            dialog.alarm.state === 'out-of-service' ? 'alarmDialog.rtsTitle' : 'alarmDialog.oosTitle',
            {
              id: dialog.alarm.id,
            },
          )}
          withDuration={false}
          submitLabel={t(dialog.alarm.state === 'out-of-service' ? 'alarmDialog.rts' : 'alarmDialog.oos')}
          onCancel={() => setDialog(null)}
          returnFocusTo={rowOf(dialog.alarm.id)}
          onSubmit={(reason) => {
            setDialog(null);
            const enable = dialog.alarm.state !== 'out-of-service';
            void setAlarmOutOfService(dialog.alarm.id, enable, reason).then(reportResult);
          }}
        />
      )}
    </div>
  );
}
