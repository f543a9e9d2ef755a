import { type CodedText, fillTemplate, type TemplateParams, type TextParam } from './text';

/**
 * The English template of every server text code: the server renders `message` from it (so code and
 * English never drift) and clients render English from it; other languages' catalogs must cover
 * every key (TEXT_CODES). Placeholders are `{param}`; see CodedText for the parameter conventions.
 * Figures that English writes with fixed decimals travel preformatted ('12.0') so both match.
 */
export const EN_TEXTS = {
  // Plant events: commands obeyed
  'event.machine.stopped': '{equipment} stopped by command',
  'event.machine.eStopped': '{equipment} emergency stop by command: latched until reset',
  'event.machine.started': '{equipment} started by command',
  'event.machine.reset': '{equipment} reset by command',
  'event.line.stopped': 'Line {line} stopped by command',
  'event.line.eStopped': 'Line {line} emergency stop by command: latched until reset',
  'event.line.started': 'Line {line} started by command',
  'event.line.reset': 'Line {line} reset by command',
  'event.vision.recalibrating': '{equipment} recalibrating by command (about {seconds} s)',
  'event.vision.recalibrated': '{equipment} recalibrated: focus {focus}%',
  'event.agv.paused': '{equipment} paused by command',
  'event.agv.resumed': '{equipment} resumed by command',
  'event.agv.sentTo': '{equipment} sent to node {node} by command',
  'event.agv.sentToCharge': '{equipment} sent to charge at {dock} by command',
  'event.drone.launchedByCommand': '{equipment} patrol launched by command',
  'event.drone.recalled': '{equipment} recalled to {pad} by command',
  'event.plant.layoutChanged':
    'Plant layout changed: version {version} published by {user} ({equipment} pieces of equipment)',
  // Plant events: the plant's own life
  'event.agv.delivered': '{equipment} delivered a pallet to {feeder} (now {pct}%)',
  'event.agv.batteryLowCharging': '{equipment} battery low ({pct}%): going to charge at {dock}',
  'event.agv.batteryLowWaiting': '{equipment} battery low ({pct}%): waiting for a free charger',
  'event.rack.replenished': '{equipment} replenished from goods-in ({pallets} pallets)',
  'event.line.starved': 'Line {line} starved: feeder {feeder} is empty',
  'event.line.refilled': 'Line {line} running again: feeder refilled',
  'event.drone.batteryLow': '{equipment} battery low ({pct}%): returning to pad',
  'event.drone.launchedIndoor': '{equipment} launched: inventory scan of the racks',
  'event.drone.launchedOutdoor': '{equipment} launched: thermal patrol of the substation',
  'event.drone.landedScan':
    '{equipment} inventory scan complete ({racks} racks read); landed at {pad} ({pct}%)',
  'event.drone.landedPatrolHottest':
    '{equipment} substation patrol complete (hottest {hottest} {celsius} °C); landed at {pad} ({pct}%)',
  'event.drone.landedPatrol': '{equipment} patrol complete; landed at {pad} ({pct}%)',
  'event.maintenance.gearbox':
    '{equipment} in planned maintenance (gearbox service); a manual station covers',
  'event.maintenance.gripper':
    '{equipment} in planned maintenance (gripper service); a manual station covers',
  'event.fault.overheat': '{equipment} stopped: J{joint} motor over-temperature ({celsius} °C)',
  'event.fault.jam': '{equipment} jam detected (drive current {amps} A): belt stopped',
  'event.fault.defocus': '{equipment} camera defocus (focus {focus}%): inspection halted',
  'event.fault.obstacle': '{equipment} safety stop: obstacle in the aisle near {node}',
  'event.fault.offline': '{equipment} offline: monitoring relay not answering, last values held',
  'event.recovery.online': '{equipment} back online: monitoring relay answering',
  'event.recovery.maintenance': '{equipment} back in service after planned maintenance',
  'event.recovery.generic': '{equipment} back in service',
  'event.recovery.jam': '{equipment} jam cleared, belt restarted',
  'event.recovery.overheat': '{equipment} back in service (J{joint} cooled to {celsius} °C)',
  'event.recovery.defocus': '{equipment} refocused and lens cleaned',
  'event.recovery.obstacle': '{equipment} resumed: aisle clear',
  'event.recovery.bearing': '{equipment} bearing replaced, back in service',
  'event.recovery.breakdown': '{equipment} repaired, back in service',
  'event.recovery.powerDip': '{equipment} drive reset after the power dip, back in service',
  // Plant events of scripted (training) faults and scenario parameter changes
  'event.scripted.jam': '{equipment} jam detected (drive over-current): belt stopped',
  'event.scripted.gearboxBearingFailed':
    '{equipment} stopped: gearbox bearing failed (vibration {vibration} mm/s)',
  'event.scripted.driveBearingFailed':
    '{equipment} stopped: drive bearing failed (vibration {vibration} mm/s)',
  'event.scripted.bearingReplaced': '{equipment} worn bearing replaced',
  'event.scripted.powerDipRestart':
    'Line {line} stopped: supply voltage dip for {seconds} s, {machines} machines tripped (drives restart when it is over)',
  'event.scripted.powerDipTripped':
    'Line {line} stopped: supply voltage dip for {seconds} s, {machines} machines tripped (drives tripped: reset the line)',
  'event.scripted.breakdown': '{equipment} broke down in the aisle near {node} (drive fault): aisle blocked',
  'event.scripted.cellOffAir': '{equipment} off air (cell outage): devices reattaching to neighbour cells',
  'event.scripted.cellBackOnAir': '{equipment} back on air',
  'event.scripted.coolingRestored': '{equipment} cooling restored',
  'event.scripted.interferenceCleared': '{equipment} uplink interference cleared',
  'event.line.productChanged': 'Line {line} now runs {product} (takt {taktS} s)',
  'event.line.changeoverStarted': 'Line {line} changeover to {product} started (about {minutes} min)',
  'event.line.changeoverDone':
    'Line {line} changeover to {product} complete (takt {taktS} s): ready to start',
  // Command answers (accepted)
  'cmd.machine.alreadyStopped': '{equipment} already stopped',
  'cmd.machine.stopped': '{equipment} stopped',
  'cmd.machine.alreadyEStopped': '{equipment} already emergency-stopped',
  'cmd.machine.eStopped': '{equipment} emergency-stopped',
  'cmd.machine.started': '{equipment} started',
  'cmd.machine.resetStopped': '{equipment} reset: stopped, ready to start',
  'cmd.machine.reset': '{equipment} reset',
  'cmd.line.alreadyStopped': 'Line {line} already stopped',
  'cmd.line.stopped': 'Line {line} stopped',
  'cmd.line.alreadyEStopped': 'Line {line} already emergency-stopped',
  'cmd.line.eStopped': 'Line {line} emergency-stopped',
  'cmd.line.started': 'Line {line} started',
  'cmd.line.reset': 'Line {line} reset',
  'cmd.vision.recalibrating': '{equipment} recalibrating',
  'cmd.agv.alreadyPaused': '{equipment} already paused',
  'cmd.agv.paused': '{equipment} paused',
  'cmd.agv.resumed': '{equipment} resumed',
  'cmd.agv.drivingTo': '{equipment} driving to {node}',
  'cmd.agv.goingToDock': '{equipment} going to {dock}',
  'cmd.drone.launching': '{equipment} launching',
  'cmd.drone.returning': '{equipment} returning',
  // Command refusals
  'cmd.refused.incomplete': 'a command needs an equipmentId and an action',
  'cmd.refused.unknownTarget': 'no equipment or line "{equipment}"',
  'cmd.refused.readOnlySource': '{equipment} is not simulated: its source is read-only',
  'cmd.refused.notACommandOf': '"{action}" is not a command of a {kind}: {actions}',
  'cmd.refused.noCommandsFor': '"{action}" is not a command of a {kind}',
  'cmd.refused.notMachineCommand': '"{action}" is not a machine command',
  'cmd.refused.notLineCommand': '"{action}" is not a line command',
  'cmd.refused.notAgvCommand': '"{action}" is not an AGV command',
  'cmd.refused.notDroneCommand': '"{action}" is not a drone command',
  'cmd.refused.eStopped': '{equipment} is emergency-stopped: reset it first',
  'cmd.refused.faulted': '{equipment} is faulted: reset it first',
  'cmd.refused.inMaintenance': '{equipment} is in maintenance',
  'cmd.refused.notStopped': '{equipment} is not stopped',
  'cmd.refused.lineNotStopped': 'Line {line} is not stopped',
  'cmd.refused.nothingToReset': '{equipment} has no fault or e-stop to reset',
  'cmd.refused.lineNothingToReset': 'Line {line} has no fault or e-stop to reset',
  'cmd.refused.noFaultToReset': '{equipment} has no fault to reset',
  'cmd.refused.resetNotYet': '{equipment} cannot be reset yet',
  'cmd.refused.resetVoltageLow': '{equipment} cannot be reset yet: the supply voltage is still low',
  'cmd.refused.resetBearingFailed': '{equipment} bearing failed: it must be replaced before a restart',
  'cmd.refused.resetBrokeDown': '{equipment} broke down: it must be recovered by maintenance',
  'cmd.refused.stillHot': '{equipment} J{joint} still at {celsius} °C: reset allowed below {limit} °C',
  'cmd.refused.alreadyRecalibrating': '{equipment} is already recalibrating',
  'cmd.refused.notOnPaths': '{equipment} is not on the path network',
  'cmd.refused.notPausedOrHolding': '{equipment} is not paused or holding at a node',
  'cmd.refused.unknownNode': 'unknown path node "{node}"',
  'cmd.refused.unreachable': '{node} is not reachable from {equipment}',
  'cmd.refused.safetyStop': '{equipment} is in a safety stop',
  'cmd.refused.alreadyCharging': '{equipment} is already charging at {dock}',
  'cmd.refused.alreadyGoingToDock': '{equipment} is already going to {dock}',
  'cmd.refused.noFreeDock': 'no free charging dock for {equipment}',
  'cmd.refused.noPatrolRoute': '{equipment} has no patrol route',
  'cmd.refused.alreadyFlying': '{equipment} is already flying',
  'cmd.refused.droneFaulted': '{equipment} is faulted',
  'cmd.refused.batteryTooLow': '{equipment} battery {pct}%: needs {minPct}% to launch',
  'cmd.refused.alreadyOnPad': '{equipment} is already on its pad',
  'cmd.refused.alreadyReturning': '{equipment} is already returning',
  // Commands to real equipment (sources whose mapping allows commands)
  'cmd.device.confirmed': '{equipment}: {action} confirmed by the device',
  'cmd.device.unconfirmed': '{equipment}: {action} sent to the device; no confirmation within {seconds} s',
  'cmd.device.refused': '{equipment}: the device refused {action}: {detail}',
  'cmd.device.lineConfirmed': 'Line {line}: {action} confirmed by every device',
  'cmd.device.lineUnconfirmed':
    'Line {line}: {action} sent; no confirmation within {seconds} s from {equipment}',
  'cmd.device.lineRefused': 'Line {line}: {equipment} refused {action}: {detail} (the others were sent)',
  'cmd.refused.lineReadOnly': 'Line {line}: {equipment} is not simulated and its source is read-only',
  // Scenario actions (training:step answers, training:inject answers): done
  'scenario.overheatStarted': '{equipment} J{joint} heating at {rate} K/min (trips at {limit} °C)',
  'scenario.bearingWearing': '{equipment} bearing wearing: fails after {seconds} s of running',
  'scenario.jammed': '{equipment} jammed',
  'scenario.powerDip': 'power dip on line {line} ({seconds} s)',
  'scenario.defocused': '{equipment} defocused to {focus}% ({rejects}% false rejects)',
  'scenario.coolingFailing': '{equipment} cooling failing: top oil +{riseK} K over {seconds} s',
  'scenario.breakdownArmed': '{equipment} will break down the next time it drives',
  'scenario.breakdownArmedAt': '{equipment} will break down the next time it drives past node {node}',
  'scenario.batteryDraining': '{equipment} battery draining {rate} %/min faster in flight',
  'scenario.cellDown': '{equipment} down',
  'scenario.congested': '{equipment} uplink capacity down to {pct}% ({mbps} Mbit/s)',
  'scenario.cleared': '{equipment}: cleared {kinds}',
  'scenario.defectRateSet': '{equipment} true defect rate set to {pct}%',
  'scenario.beltSpeedSet': 'line {line} belt speed set to {speed} m/s',
  'scenario.productSet': 'line {line} set to {product}, takt {taktS} s',
  'scenario.changingOver': 'line {line} changing over to {product} for {seconds} s',
  // Scenario actions: not possible
  'scenario.refused.badParameter': '{kind}: expected {expected}',
  'scenario.refused.alreadyPowerDip': 'line {line} already has a power dip',
  'scenario.refused.unknownEquipment': 'no equipment "{equipment}"',
  'scenario.refused.alreadyScripted': '{equipment} already has a scripted {kind}',
  'scenario.refused.nothingToClear': '{equipment} has no scripted {kind} to clear',
  'scenario.refused.noFaultToClear': '{equipment} has no scripted fault to clear',
  'scenario.refused.notVisionOfLine': '{equipment} is not the vision station of a line',
  'scenario.refused.defectRateRange': 'defect rate {value} is not between 0 and 1',
  'scenario.refused.unknownLine': 'no line "{line}"',
  'scenario.refused.noConveyors': 'line {line} has no conveyors',
  'scenario.refused.beltSpeedRange': 'belt speed {value} m/s is not in (0, 2]',
  'scenario.refused.taktRange': 'takt {value} s is not > 0',
  'scenario.refused.alreadyChangingOver': 'line {line} is already changing over',
  'scenario.refused.notRobotArm': '{equipment} is not a robot arm',
  'scenario.refused.stoppedOrMaintenance': '{equipment} is stopped by a fault or in maintenance',
  'scenario.refused.alreadyStoppedOrMaintenance':
    '{equipment} is already stopped by a fault or in maintenance',
  'scenario.refused.alreadyOverheating': '{equipment} already has an overheating joint',
  'scenario.refused.notArmOrConveyor': '{equipment} is not a robot arm or conveyor',
  'scenario.refused.notConveyor': '{equipment} is not a conveyor',
  'scenario.refused.noRunningMachine': 'line {line} has no running machine to trip',
  'scenario.refused.alreadyDefocused': '{equipment} is already out of focus or faulted',
  'scenario.refused.notTransformer': '{equipment} is not a transformer',
  'scenario.refused.notAgvOnPaths': '{equipment} is not an AGV on the path network',
  'scenario.refused.alreadyFaulted': '{equipment} is already stopped by a fault',
  'scenario.refused.unknownNode': 'unknown path node "{node}"',
  'scenario.refused.notPatrolDrone': '{equipment} is not a drone with a patrol route',
  'scenario.refused.notCell': '{equipment} is not a 5G cell',
  'scenario.refused.alreadyDown': '{equipment} is already down',
  'scenario.refused.alreadyCongested': '{equipment} is already congested',
  // Alarms of real equipment whose input data are bad or stale (built-in rule BAD-INPUT)
  'alarm.badInput':
    '{equipment}: bad or stale input data ({signals}); its alarm rules hold until the data are good again',
  // Training session ended
  'training.endedBy': 'the training session was ended by {user}',
  'training.serverShutdown': 'the server is shutting down',
  // Training clock control (training:control answers) and hand injections
  'training.control.started': 'session started at {speed}× speed',
  'training.control.resumed': 'session resumed at {speed}× speed',
  'training.control.paused': 'session paused at {simTime} s',
  'training.control.speed': 'speed set to {speed}×',
  'training.control.stepped': 'stepped to {simTime} s',
  'training.control.restarted': 'session restarted from the beginning (run {run})',
  'training.control.pauseFirst': 'pause the session before stepping it',
  'training.refused.unknownTarget': 'no equipment or line "{equipment}" in this plant',
  // Debrief details (training report): parts of one sentence, joined; a param ending in `Time`
  // holds sim seconds (rendered as a duration), `actions` / `targets` comma-separated lists.
  'debrief.detail.neverRaised': '{alarm} did not rise',
  'debrief.detail.neverRaisedAfter': '{alarm} did not rise after {afterTime} s',
  'debrief.detail.notRequired': 'not required',
  'debrief.detail.neverAcknowledged': '{alarm} rose at {raisedTime} s and was never acknowledged',
  'debrief.detail.shelvedInstead': 'it was shelved instead',
  'debrief.detail.acknowledged':
    '{alarm} rose at {raisedTime} s, acknowledged after {tookTime} s (limit {limitTime} s)',
  'debrief.detail.acknowledgedBy':
    '{alarm} rose at {raisedTime} s, acknowledged by {user} after {tookTime} s (limit {limitTime} s)',
  'debrief.detail.sent': '{action} sent to {equipment} at {atTime} s (due by {dueTime} s)',
  'debrief.detail.refused': '{actions} to {targets} was refused',
  'debrief.detail.neverSent': '{actions} to {targets} was never sent',
  'debrief.detail.alsoSent': '{actions} also sent to {targets}',
  'debrief.detail.keptRunning': 'Line {line} kept running until {untilTime} s',
  'debrief.detail.lineStopped': 'Line {line} stopped at {stopTime} s',
  'debrief.detail.lineWasStopped': 'Line {line} was stopped at {stopTime} s',
  'debrief.detail.runningAgain': 'running again at {atTime} s (due by {dueTime} s)',
  'debrief.detail.runningAgainLate': 'running again only at {atTime} s (due by {dueTime} s)',
  'debrief.detail.notRunningAtEnd': 'not running when the run ended',
  'debrief.detail.notRunningBy': 'not running by {dueTime} s',
  // Debrief mistakes
  'debrief.mistake.wrongEquipment': '{action} sent to {equipment}, but “{label}” was about other equipment',
  'debrief.mistake.commandToWrongEquipment':
    'a command was sent to {equipment}, but “{label}” was about other equipment',
  'debrief.mistake.refused': '{action} on {equipment} was refused',
  'debrief.mistake.thinShelveReason':
    '{alarm} shelved with the reason “{reason}”: say why, for the next shift',
  'debrief.mistake.leftUnacknowledged': '{alarm} ({equipment}) was still unacknowledged at the end',
} as const;

/** Every server text code (the key set other languages' catalogs must cover). */
export type TextCode = keyof typeof EN_TEXTS;
/** Every server text code, for catalog coverage tests. */
export const TEXT_CODES = Object.keys(EN_TEXTS) as TextCode[];

/** The parameters a code's template needs, by name. */
export type ParamsOf<C extends TextCode> = Readonly<Record<TemplateParams<(typeof EN_TEXTS)[C]>, TextParam>>;

/** Renders a code in English (numbers as JavaScript writes them, as the server always has). */
export function renderEnglish(code: string, params?: Readonly<Record<string, TextParam>>): string {
  const t = (EN_TEXTS as Record<string, string>)[code];
  return t === undefined ? code : fillTemplate(t, params);
}

/** A server text both ways: the code with its params, and its English rendering. */
export interface EnText {
  text: CodedText;
  message: string;
}

/** The params argument of `enText`: required exactly when the code's template has placeholders. */
export type ParamsArg<C extends TextCode> = [TemplateParams<(typeof EN_TEXTS)[C]>] extends [never]
  ? []
  : [ParamsOf<C>];

/** Builds a server text from one code: its CodedText and the English `message` rendered from EN_TEXTS. */
export function enText<C extends TextCode>(code: C, ...params: ParamsArg<C>): EnText {
  const p = params[0] as Readonly<Record<string, TextParam>> | undefined;
  const text: CodedText = p === undefined ? { code } : { code, params: p };
  return { text, message: fillTemplate(EN_TEXTS[code], p) };
}
