import createClient, { type Middleware } from 'openapi-fetch';
import { ApiError, errorBodyOf, retryAfterOf } from './api-error';
import type { paths } from '@lifecycle/contracts/api';

/**
 * The typed client of the gateway's `/v1` API (paths and bodies from its OpenAPI document). Every
 * call carries the signed-in user's key; the gateway decides what the key may do.
 */
export const api = createClient<paths>({ baseUrl: window.location.origin });

let apiKey: string | null = null;
const unauthorizedListeners = new Set<() => void>();

/** The key every call carries from now on (null after signing out). */
export function setApiKey(key: string | null): void {
  apiKey = key;
}

/** Called when the gateway answers 401 (the key is no longer valid): the console signs out. */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

const authentication: Middleware = {
  onRequest({ request }) {
    if (apiKey !== null) request.headers.set('Authorization', `Bearer ${apiKey}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401 && apiKey !== null) for (const listener of unauthorizedListeners) listener();
    return response;
  },
};
api.use(authentication);

interface ClientAnswer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a 2xx answer, or an `ApiError` with the platform's error body. */
export async function unwrap<T>(call: Promise<ClientAnswer<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) {
    const body = errorBodyOf(response.status, response.statusText, error);
    throw new ApiError(response.status, body, retryAfterOf(response.headers.get('retry-after')));
  }
  return data as T;
}
