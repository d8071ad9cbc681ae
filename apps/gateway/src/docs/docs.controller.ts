import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { OpenApiAggregator } from './openapi-aggregator';

@ApiExcludeController()
@Controller()
export class DocsController {
  constructor(private readonly aggregator: OpenApiAggregator) {}

  /** The merged OpenAPI document of the whole platform (the UI at /docs reads it). */
  @Get('docs-json')
  document() {
    return this.aggregator.document();
  }
}
