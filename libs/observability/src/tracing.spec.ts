import { Writable } from 'node:stream';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SamplingDecision } from '@opentelemetry/sdk-trace-node';
import pino from 'pino';
import {
  contextOfTraceparent,
  initTracing,
  inSpan,
  logTraceIds,
  samplerOf,
  shutdownTracing,
  SpanKind,
  startSpan,
  traceHeaders,
  traceparentOf,
  tracingEnabled,
} from './tracing';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  it('does nothing and costs nothing: no spans, no headers, no ids in logs', async () => {
    expect(initTracing({ serviceName: 'x', endpoint: null })).toBe(false);
    expect(tracingEnabled()).toBe(false);
    expect(startSpan('s', { service: 'x', kind: SpanKind.INTERNAL })).toBeNull();
    expect(await inSpan('s', { service: 'x', kind: SpanKind.INTERNAL }, async () => 42)).toBe(42);
    expect(traceparentOf(contextOfTraceparent(TRACEPARENT))).toBeNull();
    expect(traceHeaders()).toEqual({});
    expect(logTraceIds()).toEqual({});
  });
});

describe('tracing on', () => {
  const exporter = new InMemorySpanExporter();
  beforeAll(() => {
    expect(initTracing({ serviceName: 'unit', exporter })).toBe(true);
  });
  afterAll(async () => {
    await shutdownTracing();
  });

  it('continues a W3C traceparent, and hands the active span on to headers and log lines', async () => {
    const lines: string[] = [];
    const log = pino(
      { mixin: logTraceIds },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    const seen = await inSpan('work', { service: 'unit', kind: SpanKind.CONSUMER, parent: contextOfTraceparent(TRACEPARENT) }, async () => {
      log.info('inside');
      return { headers: traceHeaders(), ids: logTraceIds() };
    });
    log.info('outside');
    const [span] = exporter.getFinishedSpans();
    expect(span!.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(span!.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(span!.attributes['lifecycle.service']).toBe('unit');
    expect(seen.headers).toEqual({ traceparent: `00-0af7651916cd43dd8448eb211c80319c-${span!.spanContext().spanId}-01` });
    expect(seen.ids).toEqual({ trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: span!.spanContext().spanId });
    const [inside, outside] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(inside).toMatchObject({ msg: 'inside', trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: span!.spanContext().spanId });
    expect(outside!.trace_id).toBeUndefined();
  });

  it('marks a span that failed with the error, and rethrows it', async () => {
    exporter.reset();
    await expect(inSpan('fails', { service: 'unit', kind: SpanKind.INTERNAL }, () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    const [span] = exporter.getFinishedSpans();
    expect(span!.status).toMatchObject({ code: 2, message: 'boom' });
  });
});

describe('sampling (OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG)', () => {
  const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
  const decide = (sampling: { sampler: string; ratio: number }, parent: 'none' | 'kept' | 'dropped') => {
    const ctx =
      parent === 'none'
        ? ROOT_CONTEXT
        : trace.setSpanContext(ROOT_CONTEXT, {
            traceId: TRACE_ID,
            spanId: 'b7ad6b7169203331',
            traceFlags: parent === 'kept' ? 1 : 0,
            isRemote: true,
          });
    return samplerOf(sampling).shouldSample(ctx, TRACE_ID, 's', SpanKind.SERVER, {}, []).decision;
  };
  const KEPT = SamplingDecision.RECORD_AND_SAMPLED;
  const DROPPED = SamplingDecision.NOT_RECORD;

  it('parent-based samplers follow the caller, so a trace is kept or dropped whole across the services', () => {
    for (const sampler of ['parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio']) {
      expect(decide({ sampler, ratio: 0 }, 'kept')).toBe(KEPT);
      expect(decide({ sampler, ratio: 1 }, 'dropped')).toBe(DROPPED);
    }
  });

  it('the root sampler decides for traces that start here', () => {
    expect(decide({ sampler: 'parentbased_always_on', ratio: 1 }, 'none')).toBe(KEPT);
    expect(decide({ sampler: 'parentbased_always_off', ratio: 1 }, 'none')).toBe(DROPPED);
    expect(decide({ sampler: 'parentbased_traceidratio', ratio: 0 }, 'none')).toBe(DROPPED);
    expect(decide({ sampler: 'parentbased_traceidratio', ratio: 1 }, 'none')).toBe(KEPT);
    expect(decide({ sampler: 'always_off', ratio: 1 }, 'kept')).toBe(DROPPED);
    expect(decide({ sampler: 'traceidratio', ratio: 0 }, 'kept')).toBe(DROPPED);
  });
});
