import type { AlarmPriority, AlarmState, EquipmentKind, MachineState } from '../../protocol';
import type { MessageKey } from './messages';

/** Catalog key of a machine state's label. */
export const stateKey = (s: MachineState): MessageKey => `state.${s}`;
/** Catalog key of an equipment kind's name. */
export const kindKey = (k: EquipmentKind): MessageKey => `kind.${k}`;
/** Catalog key of an alarm priority's label. */
export const priorityKey = (p: AlarmPriority): MessageKey => `priority.${p}`;
/** Catalog key of an alarm state's short label. */
export const alarmStateKey = (s: AlarmState): MessageKey => `alarmState.${s}`;
