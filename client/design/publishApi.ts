import type { PublishAnswer, PublishedVersionsAnswer } from '../../protocol';
import { type ApiResult, authorizedCall } from '../auth/api';

/** Publishing to the live plant over HTTP (admins publish; engineers read the list); these never throw. */

const JSON_HEADERS = { 'content-type': 'application/json' };

/** `GET /api/plant/versions`: the plant file, then every publication; which is live. */
export function fetchPublished(): Promise<ApiResult<Omit<PublishedVersionsAnswer, 'ok'>>> {
  return authorizedCall('/api/plant/versions');
}

/**
 * `POST /api/designs/:id/publish`: without `confirmation` it answers what would change and a
 * confirmation; with it, publishes.
 */
export function publishVersion(
  designId: string,
  version: string,
  confirmation?: string,
): Promise<ApiResult<PublishAnswer>> {
  return authorizedCall(`/api/designs/${encodeURIComponent(designId)}/publish`, {
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify(confirmation === undefined ? { version } : { version, confirmation }),
  });
}

/** `POST /api/plant/rollback`: the same two steps for a version published before, or "base". */
export function rollbackTo(version: string, confirmation?: string): Promise<ApiResult<PublishAnswer>> {
  return authorizedCall('/api/plant/rollback', {
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify(confirmation === undefined ? { version } : { version, confirmation }),
  });
}
