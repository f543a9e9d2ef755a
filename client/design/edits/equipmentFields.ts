import type { DraftEquipment, DraftLayout } from '../layoutEdits';

/**
 * Edits of one equipment entry's fields (name, translated name, zone, line, props) as pure
 * layout → layout functions. Values are stored as given: checking them is the form's job (and the
 * server's); `undefined` removes the field. The layout itself comes back when nothing changes.
 */

/** Which field of an equipment entry an edit sets. */
export type EquipmentField =
  | { at: 'name' }
  | { at: 'nameZh' }
  | { at: 'zone' }
  | { at: 'line' }
  | { at: 'prop'; key: string };

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A record with `key` set to `value`, or without it when `value` is undefined. */
function withKey(rec: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const out = { ...rec };
  if (value === undefined) delete out[key];
  else out[key] = value;
  return out;
}

/** The field's value in `e` (undefined when it has none). */
export function fieldValue(e: DraftEquipment, f: EquipmentField): unknown {
  switch (f.at) {
    case 'name':
      return e.name;
    case 'nameZh':
      return isRecord(e.names) ? e.names['zh-CN'] : undefined;
    case 'zone':
      return e.zone;
    case 'line':
      return e.line;
    case 'prop':
      return isRecord(e.props) ? e.props[f.key] : undefined;
  }
}

/** Sets field `f` of the first equipment with `id` to `value` (undefined removes it). */
export function setEquipmentField(
  layout: DraftLayout,
  id: string,
  f: EquipmentField,
  value: unknown,
): DraftLayout {
  const list = Array.isArray(layout.equipment) ? layout.equipment : [];
  const i = list.findIndex((x) => isRecord(x) && x.id === id);
  if (i < 0) return layout;
  const e = list[i] as DraftEquipment;
  if (Object.is(fieldValue(e, f), value)) return layout;
  let next: Record<string, unknown>;
  if (f.at === 'prop') next = withKey(e, 'props', withKey(isRecord(e.props) ? e.props : {}, f.key, value));
  else if (f.at === 'nameZh') {
    const names = withKey(isRecord(e.names) ? e.names : {}, 'zh-CN', value);
    // No translations left: no `names` at all (the loader takes an empty object too, but it is noise).
    next = withKey(e, 'names', Object.keys(names).length ? names : undefined);
  } else next = withKey(e, f.at, value);
  const equipment = list.slice();
  equipment[i] = next;
  return { ...layout, equipment };
}
