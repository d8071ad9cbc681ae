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
    let done = false;
    const settle = (outcome: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      outcome();
    };
    const attempt = (retry: boolean) => {
      const req = get(url, { agent: UPSTREAM_AGENT, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            const body = text ? (JSON.parse(text) as Record<string, unknown>) : null;
            settle(() => resolve({ status: res.statusCode ?? 502, body }));
          } catch (e) {
            settle(() => reject(e instanceof Error ? e : new Error(String(e))));
          }
        });
        res.on('error', (e) => settle(() => reject(e)));
      });
      current = req;
      req.on('error', (e: NodeJS.ErrnoException) => {
        // A kept-alive connection the service closed while idle, just as it was taken for this
        // call: the GET never reached the service, so it is sent once more on another connection.
        if (retry && req.reusedSocket && e.code === 'ECONNRESET' && !done) return attempt(false);
        settle(() => reject(e));
      });
    };
    let current: ReturnType<typeof get> | null = null;
    const timer = setTimeout(() => current?.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)), timeoutMs);
    attempt(true);
  });
}
