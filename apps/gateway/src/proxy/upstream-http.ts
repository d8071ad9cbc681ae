import { Agent, get, type IncomingHttpHeaders } from 'node:http';

/**
 * The one connection pool of the gateway's calls to the services: forwarded requests and the
 * composed view's reads. Connections are kept open between requests (a new TCP connection per
 * call costs both ends more than the call itself).
 */
export const UPSTREAM_AGENT = new Agent({ keepAlive: true, maxSockets: 256 });

export interface UpstreamJson {
  status: number;
  /** The parsed JSON body; null for an empty one. */
  body: Record<string, unknown> | null;
}

/**
 * `GET url` on the upstream pool; the answer's status and JSON body. Rejects when the service is
 * unreachable, does not answer within `timeoutMs` (the whole exchange), or answers something that
 * is not JSON. Plain `node:http` on purpose: `fetch` (undici with web streams and abort signals)
 * costs several times more CPU per call, and these calls are on the gateway's busiest path.
 */
export function getUpstreamJson(url: string, headers: IncomingHttpHeaders, timeoutMs: number): Promise<UpstreamJson> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: UPSTREAM_AGENT, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        clearTimeout(timer);
        try {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 502, body: text ? (JSON.parse(text) as Record<string, unknown>) : null });
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      });
      res.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
