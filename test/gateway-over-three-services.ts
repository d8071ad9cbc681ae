import { EventPublisher, KafkaConnection } from '@lifecycle/messaging';
import { startService, type RunningService } from '@lifecycle/http';
import { apiClient, testGatewayConfig, testServiceConfig, TEST_ADMIN_KEY, type ApiClient, type TestRun } from '@lifecycle/testing';
import { AttributeCatalogModule } from '../apps/attribute-catalog/src/attribute-catalog.module';
import { attributeCatalogDefinition } from '../apps/attribute-catalog/src/attribute-catalog.definition';
import { StatusTrackingModule } from '../apps/status-tracking/src/status-tracking.module';
import { statusTrackingDefinition } from '../apps/status-tracking/src/status-tracking.definition';
import { SegmentEvaluationModule } from '../apps/segment-evaluation/src/segment-evaluation.module';
import { segmentEvaluationDefinition } from '../apps/segment-evaluation/src/segment-evaluation.definition';
import { startGateway, type RunningGateway } from '../apps/gateway/src/gateway.bootstrap';

/** The catalog, status tracking and segment evaluation in this process behind the gateway, and a CRM publisher. */
export interface GatewayOverThreeServices {
  catalog: RunningService;
  tracking: RunningService;
  segments: RunningService;
  gateway: RunningGateway;
  /** The gateway's client with the admin key. */
  api: ApiClient;
  /** The run's topics (physical names). */
  connection: KafkaConnection;
  /** Publishes as the CRM does. */
  publisher: EventPublisher;
  close(): Promise<void>;
}

/** Starts them on the run's databases and topics (cycle planning is not started: its upstream answers nothing). */
export async function startGatewayOverThreeServices(run: TestRun): Promise<GatewayOverThreeServices> {
  const catalogConfig = testServiceConfig(run, 'attribute-catalog');
  const trackingConfig = testServiceConfig(run, 'status-tracking');
  const segmentsConfig = testServiceConfig(run, 'segment-evaluation');
  const catalog = await startService(AttributeCatalogModule.register(catalogConfig), catalogConfig, attributeCatalogDefinition);
  const tracking = await startService(StatusTrackingModule.register(trackingConfig), trackingConfig, statusTrackingDefinition);
  const segments = await startService(SegmentEvaluationModule.register(segmentsConfig), segmentsConfig, segmentEvaluationDefinition);
  const upstreams = { catalog: catalog.url, tracking: tracking.url, segments: segments.url, cycles: 'http://127.0.0.1:9' };
  const gateway = await startGateway(testGatewayConfig(run, upstreams));
  const connection = new KafkaConnection({ brokers: trackingConfig.kafka.brokers, clientId: 'e2e-crm', topicPrefix: run.topicPrefix });
  const publisher = new EventPublisher(connection, 'crm');
  return {
    catalog,
    tracking,
    segments,
    gateway,
    api: apiClient(gateway.url, TEST_ADMIN_KEY),
    connection,
    publisher,
    async close() {
      await publisher.close();
      await gateway.app.close();
      for (const service of [segments, tracking, catalog]) await service.app.close();
    },
  };
}
