/**
 * Limits of what clients may ask for, defined once: the server's schemas and configuration check
 * them, and the client's inputs offer no more than they allow.
 */

/** Simulation time scale, multiplier on the one clock (server --speed, training sessions, scenarios). */
export const MIN_SPEED = 0.1;
export const MAX_SPEED = 50;

/** Longest alarm id, characters (`${ruleId}@${equipmentId}`: 40 + 1 + 40, with room). */
export const MAX_ALARM_ID = 100;
/** Most alarm ids one `alarm:ack` may carry. */
export const MAX_ACK_IDS = 1000;
/** Longest shelve, minutes of wall time (one 12-hour shift). */
export const MAX_SHELVE_MIN = 720;
/** Longest reason for shelving or taking an alarm out of service, characters. */
export const MAX_REASON = 200;

/** Longest confirmation token accepted, characters (issued ones are 24). */
export const MAX_CONFIRMATION = 64;

/** Longest scenario, and longest time any of its steps refers to, simulation s (a 12-hour shift). */
export const MAX_SCENARIO_S = 12 * 3600;

/** Longest window one `replay:frames` request may ask for, simulation s. */
export const REPLAY_MAX_SPAN_S = 30;
/** Largest simulation time a replay request may name, s. */
export const MAX_SIM_TIME_S = 1e9;
/** Longest bookmark label, characters. */
export const MAX_BOOKMARK_LABEL = 200;

/** Longest user name and password a login body may carry, characters (the auth rules are stricter). */
export const MAX_LOGIN_USERNAME = 100;
export const MAX_LOGIN_PASSWORD = 1000;
