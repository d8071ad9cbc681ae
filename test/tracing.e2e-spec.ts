/**
 * One trace across the platform: a status moved through the gateway is followed into
 * status-tracking, onto `lifecycle.status` (the record's `traceparent` header, put there by the
 * outbox's publish), into segment-evaluation's consumer and on to `segment.membership`. The
 * services run in this process with the real broker and databases; spans go to an in-memory
 * exporter instead of OTLP.
 */
import { randomBytes } from 'node:crypto';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { SpanKind } from '@opentelemetry/api';
import { Topics } from '@lifecycle/contracts';
import type { EventPublisher } from '@lifecycle/messaging';
import { initTracing, SERVICE_ATTRIBUTE, shutdownTracing } from '@lifecycle/observability';
import { createActiveOnboarding, newTestRun, ONBOARDING, TEST_ADMIN_KEY, TopicRecorder, waitFor, type ApiClient } from '@lifecycle/testing';
import { startGatewayOverThreeServices, type GatewayOverThreeServices } from './gateway-over-three-services';

const DAY = 86_400_000;

describe('tracing: one trace from the gateway through Kafka to segment evaluation', () => {
  const run = newTestRun('tracing');
  const exporter = new InMemorySpanExporter();
  let platform: GatewayOverThreeServices;
  let publisher: EventPublisher;
  let membership: TopicRecorder;
  let api: ApiClient;

  beforeAll(async () => {
    initTracing({ serviceName: 'platform-under-test', exporter });
    platform = await startGatewayOverThreeServices(run);
    ({ api, publisher } = platform);
    membership = await new TopicRecorder([platform.connection.names.physical(Topics.SegmentMembership)]).start();
  });

  afterAll(async () => {
    await membership?.stop();
    await platform?.close();
    await shutdownTracing();
  });

  it('links gateway → status-tracking → lifecycle.status → segment-evaluation → segment.membership in one trace, each span the child of the one before', async () => {
    await createActiveOnboarding(api);
    await publisher.publish('crm.account.upserted', { accountId: 'traced', name: 'Traced', clientType: 'enterprise', ownerId: 'csm-1' });
    await waitFor('the attribute to reach segment evaluation', async () => {
      const res = await api.POST('/v1/segments', {
        body: { name: 'Stuck in Kickoff', criteria: { attribute: ONBOARDING, isOneOf: ['Kickoff'], daysInStage: { gt: 30 } } },
      });
      return res.response.status === 201;
    });
    // Active: its creation may reach status tracking before its activation, and a status of an
    // inactive attribute is refused (409).
    await waitFor('the attribute to reach status tracking, active', async () => {
      const res = await fetch(`${platform.tracking.url}/v1/internal/attributes`);
      const body = (await res.json()) as { items: { key: string; state: string }[] };
      return body.items.some((a) => a.key === ONBOARDING && a.state === 'active');
    });

    // The caller's own trace: the gateway continues it.
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const res = await fetch(`${platform.gateway.url}/v1/accounts/traced/statuses/${ONBOARDING}`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${TEST_ADMIN_KEY}`,
        'content-type': 'application/json',
        traceparent: `00-${traceId}-${callerSpanId}-01`,
      },
      body: JSON.stringify({ stage: 'Kickoff', at: new Date(Date.now() - 40 * DAY).toISOString() }),
    });
    expect(res.status).toBe(200);
    await waitFor('segment.entered', () => membership.messages.some((m) => m.json.type === 'segment.entered'));

    const find = (spans: ReadableSpan[], service: string, kind: SpanKind, name: string) =>
      spans.find((s) => s.attributes[SERVICE_ATTRIBUTE] === service && s.kind === kind && s.name === name);
    const chain = await waitFor('the spans of the trace', () => {
      const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
      const found = [
        find(spans, 'gateway', SpanKind.SERVER, 'PUT upstream:status-tracking'),
        find(spans, 'status-tracking', SpanKind.SERVER, 'PUT /v1/accounts/:accountId/statuses/:attributeKey'),
        find(spans, 'status-tracking', SpanKind.PRODUCER, 'publish lifecycle.status'),
        find(spans, 'segment-evaluation', SpanKind.CONSUMER, 'process status.changed'),
        find(spans, 'segment-evaluation', SpanKind.PRODUCER, 'publish segment.membership'),
      ];
      return found.every((s) => s !== undefined) ? (found as ReadableSpan[]) : undefined;
    });

    expect(chain[0]!.parentSpanContext?.spanId).toBe(callerSpanId);
    for (let i = 1; i < chain.length; i++) {
      expect({ span: chain[i]!.name, parent: chain[i]!.parentSpanContext?.spanId }).toEqual({
        span: chain[i]!.name,
        parent: chain[i - 1]!.spanContext().spanId,
      });
    }
    expect(chain[3]!.attributes).toMatchObject({ 'messaging.system': 'kafka', 'messaging.destination.name': 'lifecycle.status' });
    // The record value stays the contract's envelope: the trace context travels in headers only.
    expect(Object.keys(membership.messages.find((m) => m.json.type === 'segment.entered')!.json).sort()).toEqual([
      'data',
      'id',
      'occurredAt',
      'source',
      'type',
      'version',
    ]);
  });
});
