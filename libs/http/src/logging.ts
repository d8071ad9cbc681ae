import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { LogLevel } from '@lifecycle/config';
import { logTraceIds } from '@lifecycle/observability';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * One structured line per request with its id (taken from the caller or made here); every line
 * logged inside a traced request or event carries `trace_id` and `span_id`.
 */
export function pinoParams(serviceName: string, level: LogLevel): Params {
  return {
    pinoHttp: {
      level,
      name: serviceName,
      mixin: logTraceIds,
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const given = req.headers[REQUEST_ID_HEADER];
        const id = typeof given === 'string' && /^[A-Za-z0-9._-]{1,100}$/.test(given) ? given : randomUUID();
        res.setHeader(REQUEST_ID_HEADER, id);
        return id;
      },
      autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      redact: ['req.headers.authorization'],
    },
  };
}
