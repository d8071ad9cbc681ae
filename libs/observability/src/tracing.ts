import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Link,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-node';

/**
 * Tracing (OpenTelemetry): W3C trace context from HTTP to the services, into Kafka record headers
 * (`traceparent`) and out of them, through the outboxes to the next topic. On when the process is
 * given somewhere to send spans (`OTEL_EXPORTER_OTLP_ENDPOINT`, OTLP over HTTP) — off otherwise:
 * no spans, no headers, no ids in logs, nothing to pay.
 */

/** The span attribute naming the service that made a span (services started in one test process share one SDK). */
export const SERVICE_ATTRIBUTE = 'lifecycle.service';
/** The W3C header, on HTTP requests and Kafka records alike. */
export const TRACEPARENT = 'traceparent';

export interface TracingSetup {
  serviceName: string;
  /** `OTEL_EXPORTER_OTLP_ENDPOINT`: spans go to `<endpoint>/v1/traces` (OTLP/HTTP, JSON). */
  endpoint?: string | null;
  /** Instead of OTLP (tests: an in-memory exporter, exported span by span). */
  exporter?: SpanExporter;
  /** Which traces are kept (`OTEL_TRACES_SAMPLER`, `OTEL_TRACES_SAMPLER_ARG`); default: every trace a caller kept. */
  sampling?: { sampler: string; ratio: number };
}

/**
 * OpenTelemetry's samplers by their `OTEL_TRACES_SAMPLER` names. The `parentbased_*` ones follow
 * the caller's decision (the `traceparent` flag), so one CRM event's trace is kept or dropped whole
 * across the services; the root sampler decides for traces that start here.
 */
export function samplerOf(sampling: { sampler: string; ratio: number }): Sampler {
  const root = (name: string): Sampler => {
    if (name.endsWith('always_off')) return new AlwaysOffSampler();
    if (name.endsWith('traceidratio')) return new TraceIdRatioBasedSampler(sampling.ratio);
    return new AlwaysOnSampler();
  };
  return sampling.sampler.startsWith('parentbased_') ? new ParentBasedSampler({ root: root(sampling.sampler) }) : root(sampling.sampler);
}

let provider: NodeTracerProvider | null = null;
let lifecycleTracer: Tracer | null = null;

/**
 * Starts tracing for this process, once (the first call decides; later ones, e.g. the next
 * service of a test process, change nothing). Without an endpoint or exporter it does nothing.
 */
export function initTracing(setup: TracingSetup): boolean {
  if (provider !== null) return true;
  const exporter =
    setup.exporter ?? (setup.endpoint ? new OTLPTraceExporter({ url: `${setup.endpoint.replace(/\/$/, '')}/v1/traces` }) : null);
  if (exporter === null) return false;
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': setup.serviceName }),
    sampler: samplerOf(setup.sampling ?? { sampler: 'parentbased_always_on', ratio: 1 }),
    spanProcessors: [setup.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter)],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  lifecycleTracer = trace.getTracer('lifecycle-platform');
  return true;
}

/** Sends the spans still buffered (at an app's shutdown; tracing goes on for the process's other apps). */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush();
}

/** Sends what is still buffered and stops (at process shutdown; tests between runs). */
export async function shutdownTracing(): Promise<void> {
  const current = provider;
  provider = null;
  lifecycleTracer = null;
  if (current === null) return;
  await current.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
}

export function tracingEnabled(): boolean {
  return lifecycleTracer !== null;
}

/** The trace context of `traceparent` (a header's value), or the root context. */
export function contextOfTraceparent(traceparent: string | null | undefined): Context {
  if (!traceparent || lifecycleTracer === null) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, { [TRACEPARENT]: traceparent });
}

/** The `traceparent` of a context (null when it holds no span, or tracing is off). */
export function traceparentOf(ctx: Context = context.active()): string | null {
  if (lifecycleTracer === null) return null;
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier[TRACEPARENT] ?? null;
}

/** The `traceparent` naming a span (what a record's headers carry). */
export function traceparentOfSpan(span: Span): string | null {
  return traceparentOf(trace.setSpan(ROOT_CONTEXT, span));
}

/** `{ traceparent }` of a context, to add to an outgoing call (empty when tracing is off). */
export function traceHeaders(ctx: Context = context.active()): Record<string, string> {
  const traceparent = traceparentOf(ctx);
  return traceparent === null ? {} : { [TRACEPARENT]: traceparent };
}

export interface SpanOptions {
  service: string;
  kind: SpanKind;
  parent?: Context;
  attributes?: Record<string, string | number | boolean>;
  links?: Link[];
}

/** Starts a span (null when tracing is off); the caller ends it. */
export function startSpan(name: string, options: SpanOptions): Span | null {
  if (lifecycleTracer === null) return null;
  return lifecycleTracer.startSpan(
    name,
    { kind: options.kind, attributes: { [SERVICE_ATTRIBUTE]: options.service, ...options.attributes }, links: options.links },
    options.parent ?? context.active(),
  );
}

/** Runs `work` inside a new span (ended with its outcome); plain `work()` when tracing is off. */
export async function inSpan<T>(name: string, options: SpanOptions, work: () => Promise<T>): Promise<T> {
  const span = startSpan(name, options);
  if (span === null) return work();
  try {
    return await context.with(trace.setSpan(options.parent ?? context.active(), span), work);
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}

/** A link to the span a `traceparent` names (batches: one span for many events). */
export function linkTo(traceparent: string | null): Link[] {
  if (!traceparent) return [];
  const spanContext = trace.getSpanContext(contextOfTraceparent(traceparent));
  return spanContext ? [{ context: spanContext }] : [];
}

/** The ids logs carry (`trace_id`, `span_id`) of the active span; empty when there is none. */
export function logTraceIds(): { trace_id?: string; span_id?: string } {
  if (lifecycleTracer === null) return {};
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext ? { trace_id: spanContext.traceId, span_id: spanContext.spanId } : {};
}

/** An opaque capture of the active context, to run later work (a group commit) in it. */
export function captureContext(): Context {
  return context.active();
}

export function runInContext<T>(ctx: Context, work: () => T): T {
  return lifecycleTracer === null ? work() : context.with(ctx, work);
}

export { SpanKind, SpanStatusCode, context as traceContext, trace as traceApi };
export type { Context as TraceContext, Span };
