/** A status and a parsed JSON body (`{}` when there is none). */
export interface HttpAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/**
 * One raw HTTP call with a JSON body (or text, sent as CSV), for the service harnesses and tests
 * that must send what the typed client (`apiClient`) would refuse to build or call paths outside
 * the public document (`/v1/internal`). Everything else goes through the typed client.
 */
export async function httpCall<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpAnswer<T>> {
  const isText = typeof body === 'string';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': isText ? 'text/csv' : 'application/json' }), ...headers },
    body: body === undefined ? undefined : isText ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
}
