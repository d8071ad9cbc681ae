import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '@lifecycle/config';
import { buildEnvelope, type AnyEnvelope } from '@lifecycle/messaging';
import {
  activate,
  addStage,
  createAttribute,
  removeStage,
  reorderStages,
  updateDetails,
  updateStage,
  type Attribute,
  type AttributeChange,
  type AttributeContext,
  type AttributeDetailsPatch,
  type AttributeEvent,
  type NewAttribute,
  type StageInput,
  type StagePatch,
} from '../domain/attribute';
import { attributeNotFound, concurrentModification } from '../domain/attribute-errors';
import { daysInFields, type DaysInField } from '../domain/days-in-fields';
import { AttributesRepository, type AttributeFilter } from './attributes.repository';
import { Outbox } from '@lifecycle/storage';

/**
 * The catalog's use cases: load, apply one pure domain command, store it as the next version
 * (with its event) unless another change took that version first, let the relay publish. `expectedVersion` is the client's If-Match;
 * without it the version read here is the one checked, so two concurrent edits of one attribute
 * give one success and one 409 ("modified concurrently"), never a lost update.
 */
@Injectable()
export class AttributesService {
  constructor(
    private readonly repository: AttributesRepository,
    private readonly outbox: Outbox,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  async create(input: NewAttribute): Promise<Attribute> {
    const { attribute, event } = createAttribute(input, this.context());
    const stored = await this.repository.create(attribute, this.envelope(event, attribute));
    if (stored) this.outbox.flushSoon(stored.revisionId, attribute.key);
    return attribute;
  }

  list(filter: AttributeFilter): Promise<Attribute[]> {
    return this.repository.list(filter);
  }

  async get(key: string): Promise<Attribute> {
    const attribute = await this.repository.findByKey(key);
    if (!attribute) throw attributeNotFound(key);
    return attribute;
  }

  async daysInFields(key: string): Promise<DaysInField[]> {
    return daysInFields(await this.get(key));
  }

  updateDetails(key: string, patch: AttributeDetailsPatch, expectedVersion?: number): Promise<Attribute> {
    return this.change(key, expectedVersion, (a, ctx) => updateDetails(a, patch, ctx));
  }

  addStage(key: string, input: StageInput, expectedVersion?: number): Promise<Attribute> {
    return this.change(key, expectedVersion, (a, ctx) => addStage(a, input, ctx));
  }

  updateStage(key: string, stageId: string, patch: StagePatch, expectedVersion?: number): Promise<Attribute> {
    return this.change(key, expectedVersion, (a, ctx) => updateStage(a, stageId, patch, ctx));
  }

  reorderStages(key: string, stageIds: readonly string[], expectedVersion?: number): Promise<Attribute> {
    return this.change(key, expectedVersion, (a, ctx) => reorderStages(a, stageIds, ctx));
  }

  removeStage(key: string, stageId: string, expectedVersion?: number): Promise<Attribute> {
    return this.change(key, expectedVersion, (a, ctx) => removeStage(a, stageId, ctx));
  }

  activate(key: string, expectedVersion?: number): Promise<Attribute> {
    return this.change(key, expectedVersion, (a, ctx) => activate(a, ctx));
  }

  private async change(
    key: string,
    expectedVersion: number | undefined,
    command: (attribute: Attribute, ctx: AttributeContext) => AttributeChange,
  ): Promise<Attribute> {
    const current = await this.get(key);
    if (expectedVersion !== undefined && expectedVersion !== current.version) {
      throw concurrentModification(key, expectedVersion, current.version);
    }
    const { attribute, event } = command(current, this.context());
    if (!event) return current; // nothing changed: no new version, no event
    const stored = await this.repository.update(current.version, attribute, this.envelope(event, attribute));
    if (!stored) {
      // Version `current.version + 1` exists now, even if `attributes` does not show it yet.
      const actual = Math.max((await this.repository.versionOf(key)) ?? 0, current.version + 1);
      throw concurrentModification(key, current.version, actual);
    }
    this.outbox.flushSoon(stored.revisionId, key);
    return attribute;
  }

  private context(): AttributeContext {
    return { now: new Date(), newStageId: randomUUID };
  }

  private envelope(event: AttributeEvent, attribute: Attribute): AnyEnvelope {
    return buildEnvelope(this.config.serviceName, event.type, event.data, { occurredAt: new Date(attribute.updatedAt) }) as AnyEnvelope;
  }
}
