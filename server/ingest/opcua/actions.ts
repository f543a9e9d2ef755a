import type { ClientSession, StatusCode, Variant } from 'node-opcua';
import { type CommandAction, MACHINE_COMMANDS, MACHINE_STATES, type OpcuaSource } from '../../../protocol';
import { type DeviceCommandResult, MACHINE_COMMAND_EFFECT, waitForEffect } from '../adapter';
import { type LiveValues, Q } from '../liveValues';
import { parseNsuNodeId, resolveNodeId } from './nodeIds';
import type { Ua } from './opcuaAdapter';

/** What sending one machine command needs. */
export interface ActionRequest {
  action: CommandAction;
  mapping: NonNullable<OpcuaSource['items'][number]['actions']>;
  namespaces: readonly string[];
  live: LiveValues | null;
  eq: number;
  /** Whether the item maps a state node (then the command is confirmed by the state it reaches). */
  stateMapped: boolean;
}

/** Built-in type ids (OPC UA Part 6) and the integer range of each integer type. */
const INT_RANGE: Readonly<Record<number, readonly [number, number]>> = {
  2: [-128, 127],
  3: [0, 255],
  4: [-32768, 32767],
  5: [0, 65535],
  6: [-2147483648, 2147483647],
  7: [0, 4294967295],
};
const BOOLEAN = 1;
const FLOAT = 10;
const DOUBLE = 11;

/**
 * Sends start/stop/reset/e-stop as the file maps it: a method call (no input arguments) or a write
 * of the configured value, converted to the variable's data type. A status other than Good is a
 * refusal naming the status; a Good one is confirmed by the machine state reaching the command's
 * effect when the item maps a state, else by the Good status itself. Never throws.
 */
export async function sendAction(
  ua: Ua,
  session: ClientSession,
  r: ActionRequest,
): Promise<DeviceCommandResult> {
  const action = r.action;
  if (!(MACHINE_COMMANDS as readonly string[]).includes(action))
    return { status: 'refused', detail: `${action} has no OPC UA mapping (start, stop, reset, e-stop only)` };
  const how = r.mapping[action as (typeof MACHINE_COMMANDS)[number]];
  if (!how) return { status: 'refused', detail: `the sources file maps no action for ${action}` };
  const resolve = (text: string) => {
    const p = parseNsuNodeId(text);
    return p.ok ? resolveNodeId(ua, p.node, r.namespaces) : null;
  };
  let status: StatusCode;
  let sent: string;
  if ('call' in how) {
    const objectId = resolve(how.call.object);
    const methodId = resolve(how.call.method);
    if (!objectId || !methodId)
      return { status: 'refused', detail: `the server has no namespace of ${how.call.method}` };
    sent = `method ${how.call.method}`;
    try {
      status = (await session.call({ objectId, methodId, inputArguments: [] })).statusCode;
    } catch (err) {
      return { status: 'unconfirmed', detail: `${sent} sent, no answer: ${(err as Error).message}` };
    }
  } else {
    const nodeId = resolve(how.write);
    if (!nodeId) return { status: 'refused', detail: `the server has no namespace of ${how.write}` };
    let variant: Variant | string;
    try {
      variant = toVariant(ua, await session.getBuiltInDataType(nodeId), how.value);
    } catch (err) {
      return {
        status: 'refused',
        detail: `cannot read the data type of ${how.write}: ${(err as Error).message}`,
      };
    }
    if (typeof variant === 'string') return { status: 'refused', detail: `${how.write}: ${variant}` };
    sent = `write of ${how.value} to ${how.write}`;
    try {
      status = await session.write({ nodeId, attributeId: ua.AttributeIds.Value, value: { value: variant } });
    } catch (err) {
      return { status: 'unconfirmed', detail: `${sent} sent, no answer: ${(err as Error).message}` };
    }
  }
  if (!status.isGood())
    return { status: 'refused', detail: `the server answered ${status.name}: ${status.description}` };
  const live = r.live;
  if (!r.stateMapped || !live) return { status: 'confirmed', detail: `${sent}: Good` };
  const want = MACHINE_COMMAND_EFFECT[action as (typeof MACHINE_COMMANDS)[number]];
  const eq = r.eq;
  const seen = await waitForEffect(
    () =>
      live.stateRxMs[eq] > 0 &&
      live.stateQuality[eq] !== Q.stale &&
      want.includes(MACHINE_STATES[live.state[eq]]),
  );
  const now = MACHINE_STATES[live.state[eq]] ?? 'unknown';
  return seen
    ? { status: 'confirmed', detail: `${sent}: Good; state ${now}` }
    : { status: 'unconfirmed', detail: `${sent}: Good, but the state is still ${now}` };
}

/** The configured value as a Variant of the variable's type, or why it cannot be one. */
function toVariant(ua: Ua, dataType: number, value: number | boolean): Variant | string {
  const n = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  if (dataType === BOOLEAN) return new ua.Variant({ dataType, value: n !== 0 });
  if (dataType === FLOAT || dataType === DOUBLE) return new ua.Variant({ dataType, value: n });
  const range = INT_RANGE[dataType];
  if (!range)
    return `cannot write a number to a variable of built-in type ${ua.DataType[dataType] ?? dataType}`;
  if (!Number.isInteger(n) || n < range[0] || n > range[1])
    return `${value} does not fit a ${ua.DataType[dataType]} (${range[0]}..${range[1]})`;
  return new ua.Variant({ dataType, value: n });
}
