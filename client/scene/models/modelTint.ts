import { STATE_CODE } from '../../../protocol';
import { BODY_RGB } from '../stateTint';

/**
 * Per-instance color per state code for uploaded models, 3 floats each. A running machine keeps
 * its authored colors (white multiplies nothing); every other state takes the built-in body's
 * state color over them (idle gray, blocked orange, fault red, ...), so abnormal still stands out.
 */
export const MODEL_RGB = Float32Array.from(BODY_RGB);
MODEL_RGB.fill(1, STATE_CODE.running * 3, STATE_CODE.running * 3 + 3);
