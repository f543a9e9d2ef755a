import { useEffect, useState, useSyncExternalStore } from 'react';
import { newCommandId, sendCommand } from '../../net/commandActions';
import { type CommandFlow, type CommandFlowState, createCommandFlow } from './commandFlow';

/** A command flow owned by the calling component (one per inspector), and its current state. */
export function useCommandFlow(): [CommandFlow, CommandFlowState] {
  const [flow] = useState(() => createCommandFlow({ send: sendCommand, newId: newCommandId }));
  useEffect(() => () => flow.dispose(), [flow]);
  const state = useSyncExternalStore(flow.subscribe, flow.getState);
  return [flow, state];
}
