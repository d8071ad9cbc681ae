/**
 * Gateway overhead: the same small JSON endpoint (a bare Nest "hello" app on the same Express
 * adapter) called directly, and through the gateway (API-key auth, rate limit, request ids, pino
 * log line, streamed proxy). Load from autocannon in this process, on loopback.
 *   npm run bench -- gateway [connections=50] [seconds=10]
 */
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import autocannon from 'autocannon';
import { newTestRun, testGatewayConfig, TEST_ADMIN_KEY } from '@lifecycle/testing';
import { startGateway } from '../apps/gateway/src/gateway.bootstrap';
import { fmt, table } from './lib/stats';

@Controller('v1/attributes')
class HelloController {
  @Get()
  hello() {
    return { items: [{ key: 'onboarding-status', name: 'Onboarding Status' }] };
  }
}

@Module({ controllers: [HelloController] })
class HelloModule {}

async function load(url: string, connections: number, seconds: number, headers: Record<string, string> = {}) {
  const result = await autocannon({ url, connections, duration: seconds, headers });
  return {
    'req/s': fmt(result.requests.average, 0),
    'p50 ms': fmt(result.latency.p50, 1),
    'p99 ms': fmt(result.latency.p99, 1),
    errors: result.errors + result.non2xx,
  };
}

async function main(): Promise<void> {
  const connections = Number(process.argv[2] ?? 50);
  const seconds = Number(process.argv[3] ?? 10);
  const hello = await NestFactory.create(HelloModule, { logger: false });
  await hello.listen(0, '127.0.0.1');
  const helloUrl = `http://127.0.0.1:${(hello.getHttpServer().address() as { port: number }).port}`;
  const gateway = await startGateway(
    testGatewayConfig(
      newTestRun('bench'),
      { catalog: helloUrl, tracking: helloUrl, cycles: helloUrl, segments: helloUrl },
      { logLevel: 'warn', rateLimitPerMinute: 10_000_000 },
    ),
  );
  console.log(`gateway overhead: ${connections} connections, ${seconds} s each, loopback, 2 cores shared by load generator and servers`);
  const direct = await load(`${helloUrl}/v1/attributes`, connections, seconds);
  const proxied = await load(`${gateway.url}/v1/attributes`, connections, seconds, { authorization: `Bearer ${TEST_ADMIN_KEY}` });
  console.log(
    table([
      { path: 'bare Nest hello (raw limit)', ...direct },
      { path: 'through the gateway', ...proxied },
    ]),
  );
  await gateway.app.close();
  await hello.close();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
