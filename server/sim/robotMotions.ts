/**
 * Joint-space motion programs of the robot-arm tasks: a cyclic list of keyframes (six joint
 * angles, rad) with the share of the cycle spent moving to each. The last keyframe is the home
 * pose the cycle starts from. Angles suit a 6-axis arm whose j1 = 0 faces the belt.
 */
export interface MotionProgram {
  /** Keyframe joint targets, 6 per keyframe, rad. */
  readonly poses: Float64Array;
  /** End of segment k as a fraction of the cycle; segment k moves from keyframe k-1 (cyclic) to k. */
  readonly ends: Float64Array;
  readonly count: number;
}

type Pose = readonly [number, number, number, number, number, number];

const HOME: Pose = [0, -0.6, 1.3, 0, 0.9, 0];

function program(frames: readonly (readonly [Pose, number])[]): MotionProgram {
  const all = [...frames, [HOME, 0.8] as const];
  const total = all.reduce((s, [, w]) => s + w, 0);
  const poses = new Float64Array(all.length * 6);
  const ends = new Float64Array(all.length);
  let acc = 0;
  all.forEach(([p, w], k) => {
    poses.set(p, k * 6);
    acc += w;
    ends[k] = acc / total;
  });
  ends[all.length - 1] = 1;
  return { poses, ends, count: all.length };
}

const ABOVE_PICK: Pose = [0.9, -0.3, 1.0, 0, 0.9, 0];
const PICK: Pose = [0.9, 0.1, 0.9, 0, 0.6, 0];
const ABOVE_PLACE: Pose = [-0.15, -0.25, 1.0, 0, 0.85, 1.4];
const PLACE: Pose = [-0.15, 0.1, 0.9, 0, 0.55, 1.4];

/** Pick a part from the side tray, turn, place it on the board on the belt (weights = time share). */
const PICK_PLACE = program([
  [ABOVE_PICK, 1.0],
  [PICK, 0.5],
  [PICK, 0.3], // gripper closes
  [ABOVE_PICK, 0.5],
  [ABOVE_PLACE, 1.0],
  [PLACE, 0.5],
  [PLACE, 0.3], // gripper opens
  [ABOVE_PLACE, 0.5],
]);

/** Two screws: descend, spin the driver (j6 sweeps ~5 rad), lift, move to the next hole. */
const SCREWDRIVING = program([
  [[-0.2, -0.1, 1.1, 0, 0.6, 0], 1.0],
  [[-0.2, 0.15, 1.0, 0, 0.45, -2.6], 0.5],
  [[-0.2, 0.2, 0.98, 0, 0.42, 2.6], 0.9],
  [[-0.2, -0.1, 1.1, 0, 0.6, 2.6], 0.4],
  [[0.2, -0.1, 1.1, 0, 0.6, 2.6], 0.6],
  [[0.2, 0.15, 1.0, 0, 0.45, 2.6], 0.5],
  [[0.2, 0.2, 0.98, 0, 0.42, -2.6], 0.9],
  [[0.2, -0.1, 1.1, 0, 0.6, -2.6], 0.4],
]);

/** A glue bead traced around a housing: lower, sweep a rectangle, lift. */
const DISPENSING = program([
  [[0.3, 0.0, 1.05, 0, 0.5, 0], 0.9],
  [[0.3, 0.2, 0.95, 0, 0.4, 0], 0.4],
  [[-0.3, 0.2, 0.95, 0, 0.4, 0], 1.2],
  [[-0.3, 0.32, 0.8, 0, 0.45, 0], 0.6],
  [[0.3, 0.32, 0.8, 0, 0.45, 0], 1.2],
  [[0.3, 0.2, 0.95, 0, 0.4, 0], 0.6],
  [[0.3, 0.0, 1.05, 0, 0.5, 0], 0.4],
]);

/** The motion program of a task. */
export function motionFor(task: 'pick-place' | 'screwdriving' | 'dispensing'): MotionProgram {
  return task === 'screwdriving' ? SCREWDRIVING : task === 'dispensing' ? DISPENSING : PICK_PLACE;
}

/** Home pose, rad (the arm rests here when not cycling). */
export const HOME_POSE: Pose = HOME;
