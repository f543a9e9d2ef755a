import type { MessageKey } from '../i18n/messages';
import type { ApiRefusal } from './api';

/** What the login screen says about a refused login. */
export interface LoginError {
  key: MessageKey;
  params?: Record<string, string>;
  /** RATE_LIMITED: when another attempt may be made (ms since epoch); the message counts down. */
  retryAt?: number;
}

/** The login screen's message for a refusal (`now`: ms since epoch). */
export function loginError(r: ApiRefusal, now: number): LoginError {
  switch (r.code) {
    case 'RATE_LIMITED':
      // Without a figure from the server, a short pause is still better than an instant retry.
      return { key: 'login.tooMany', retryAt: now + Math.max(1000, r.retryAfterMs ?? 5000) };
    // INVALID: a name the server cannot even parse; to the user it is the same mistake.
    case 'UNAUTHENTICATED':
    case 'INVALID':
      return { key: 'login.invalid' };
    case 'OFFLINE':
      return { key: 'login.offline' };
    default:
      return { key: 'login.failed', params: { message: r.message } };
  }
}
