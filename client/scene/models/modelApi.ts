import type { ModelList, ModelMeta, ModelSummary } from '../../../protocol';
import { type ApiResult, authorizedCall } from '../../auth/api';
import { useAuthStore } from '../../auth/authStore';

/** Plant models over HTTP (`/api/models...`); these never throw. */

/** `GET /api/models`: every stored model (any logged-in user). */
export function fetchModels(): Promise<ApiResult<Omit<ModelList, 'ok'>>> {
  return authorizedCall('/api/models');
}

/** `POST /api/models` with the GLB as the body and the metadata in `X-Model-Meta` (engineers, admins). */
export function uploadModel(glb: ArrayBuffer, meta: ModelMeta): Promise<ApiResult<{ model: ModelSummary }>> {
  return authorizedCall('/api/models', {
    method: 'POST',
    headers: { 'content-type': 'model/gltf-binary', 'x-model-meta': JSON.stringify(meta) },
    body: glb,
  });
}

/** `DELETE /api/models/:id` (engineers, admins). */
export function deleteModel(id: string): Promise<ApiResult<object>> {
  return authorizedCall(`/api/models/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** One level's GLB bytes, fetched with the session's bearer token; throws on any failure. */
export async function fetchModelFile(url: string): Promise<ArrayBuffer> {
  const token = useAuthStore.getState().token;
  if (!token) throw new Error('not logged in');
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`HTTP ${res.status} for ${url}`);
  return res.arrayBuffer();
}
