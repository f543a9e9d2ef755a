/**
 * The plant simulation: pure, seeded, fixed-step. The loop creates a world from a validated
 * layout, steps it by SIM_DT_S, encodes its equipment into frames and sends KPIs and events.
 */
export { AGV_ZONE_M } from './agvMotion';
export { applyCommand, commandsFor } from './commands';
export type { CommandAction, CommandRefusal, CommandResult, SimCommand } from './commandTypes';
export { AGV_COMMANDS, DRONE_COMMANDS, MACHINE_COMMANDS, VISION_COMMANDS } from './commandTypes';
export { injectFault } from './faults';
export { computeKpis } from './kpis';
export { scaleLayout } from './scaleLayout';
export { applyScenarioAction } from './scenarioActions';
export { lineIds, linesRunningInto } from './scenarioLines';
export type { ScenarioActionResult, SimulatedFault } from './scriptedFaults';
export { isSimulated, simulatedFaults } from './scriptedFaults';
export type { WorldOptions } from './state';
export { stepWorld } from './step';
export type { EquipmentRuntime, PlantEventDraft, World } from './types';
export { SIM_DT_S } from './types';
export { createWorld } from './world';
