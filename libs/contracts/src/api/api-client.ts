import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './openapi';

/** The public API, typed from docs/openapi.json: paths, parameters, bodies and answers. */
export type ApiClient = Client<paths>;
export type ApiSchemas = components['schemas'];

/**
 * A client of the gateway (or of one service, for the paths it serves) for one API key. Calls
 * answer `{ data, error, response }`: `data` typed by the operation's success answer, `error` by
 * its refusals (`ErrorResponse`).
 */
export function apiClient(baseUrl: string, apiKey?: string, headers: Record<string, string> = {}): ApiClient {
  return createClient<paths>({ baseUrl, headers: { ...(apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` }), ...headers } });
}
