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

// Poses solved for the scene's arm (shoulder 0.8 m up, links 0.55 + 0.5 + 0.2 m at reach 1.2) so the
// tool works 0.75-0.9 m in front of the base at 1.1-1.35 m: over the belt when the arm stands 0.8 m
// from the belt's centre line.
const HOME: Pose = [0, -0.39, 1.38, 0, 1.01, 0];

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

const ABOVE_PICK: Pose = [0.6, 0.33, 0.77, 0, 1.7, 0];
const PICK: Pose = [0.6, 0.34, 1.26, 0, 1.15, 0];
const ABOVE_PLACE: Pose = [-0.15, 0.4, 0.66, 0, 1.74, 1.4];
const PLACE: Pose = [-0.15, 0.4, 1.13, 0, 1.22, 1.4];

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
  [[-0.2, 0.56, 0.44, 0, 2.0, 0], 1.0],
  [[-0.2, 0.49, 0.94, 0, 1.57, -2.6], 0.5],
  [[-0.2, 0.5, 0.96, 0, 1.55, 2.6], 0.9],
  [[-0.2, 0.56, 0.44, 0, 2.0, 2.6], 0.4],
  [[0.2, 0.56, 0.44, 0, 2.0, 2.6], 0.6],
  [[0.2, 0.49, 0.94, 0, 1.57, 2.6], 0.5],
  [[0.2, 0.5, 0.96, 0, 1.55, -2.6], 0.9],
  [[0.2, 0.56, 0.44, 0, 2.0, -2.6], 0.4],
]);

/** A glue bead traced around a housing: lower, sweep a rectangle, lift. */
const DISPENSING = program([
  [[0.3, 0.38, 0.78, 0, 1.69, 0], 0.9],
  [[0.3, 0.32, 1.17, 0, 1.3, 0], 0.4],
  [[-0.3, 0.32, 1.17, 0, 1.3, 0], 1.2],
  [[-0.3, 0.53, 0.93, 0, 1.24, 0], 0.6],
  [[0.3, 0.53, 0.93, 0, 1.24, 0], 1.2],
  [[0.3, 0.32, 1.17, 0, 1.3, 0], 0.6],
  [[0.3, 0.38, 0.78, 0, 1.69, 0], 0.4],
]);

/** The motion program of a task. */
export function motionFor(task: 'pick-place' | 'screwdriving' | 'dispensing'): MotionProgram {
  return task === 'screwdriving' ? SCREWDRIVING : task === 'dispensing' ? DISPENSING : PICK_PLACE;
}

/** Home pose, rad (the arm rests here when not cycling). */
export const HOME_POSE: Pose = HOME;
