/**
 * The raw limit for the HTTP benchmarks: a bare Nest app on the same adapter as the gateway and
 * the services (platform-express), with no auth, no logging, no upstream call. Run as its own
 * process, so that it is measured the way the gateway is:
 *   node -r ts-node/register/transpile-only bench/lib/hello-server.ts <port>
 */
import 'reflect-metadata';
import { Body, Controller, Get, Module, Param, Put } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';

@Controller()
class HelloController {
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  @Get('v1/accounts/:accountId')
  account(@Param('accountId') accountId: string) {
    return { accountId, name: 'hello', lifecycle: {} };
  }

  @Put('v1/accounts/:accountId/statuses/:attributeKey')
  setStatus(@Param('accountId') accountId: string, @Param('attributeKey') attributeKey: string, @Body() body: unknown) {
    return { outcome: 'applied', accountId, attributeKey, body };
  }
}

@Module({ controllers: [HelloController] })
class HelloModule {}

async function main(): Promise<void> {
  const port = Number(process.argv[2]);
  if (!Number.isInteger(port) || port <= 0) throw new Error('usage: hello-server.ts <port>');
  const app = await NestFactory.create<NestExpressApplication>(HelloModule, { logger: false });
  app.disable('x-powered-by');
  app.enableShutdownHooks();
  await app.listen(port, '127.0.0.1');
  process.stdout.write(`hello listening on ${port}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`hello server failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
