import { Injectable } from '@nestjs/common';
import { clientTypeNotFound, CycleError, CycleErrorCode } from '../domain';
import { CycleTemplateRepository } from '../templates/cycle-template.repository';
import { ClientTypeRepository, type ClientType, type ClientTypeFields } from './client-type.repository';

export interface ClientTypeInput {
  name: string;
  templateIds?: string[];
  defaultTemplateId?: string | null;
}

/**
 * C3: client types, the templates available to them (C7) and their default template.
 * Decision: the default template is always available, so it is added to `templateIds` if missing.
 */
@Injectable()
export class ClientTypesService {
  constructor(
    private readonly clientTypes: ClientTypeRepository,
    private readonly templates: CycleTemplateRepository,
  ) {}

  list(): Promise<ClientType[]> {
    return this.clientTypes.list();
  }

  async get(key: string): Promise<ClientType> {
    const type = await this.clientTypes.get(key);
    if (type === undefined) throw clientTypeNotFound(key);
    return type;
  }

  async create(key: string, input: ClientTypeInput): Promise<ClientType> {
    const fields = await this.fields(key, input);
    if (!(await this.clientTypes.insert(key, fields, new Date()))) {
      throw new CycleError(CycleErrorCode.ClientTypeAlreadyExists, `Client type "${key}" already exists`, { clientType: key });
    }
    return this.get(key);
  }

  async update(key: string, input: ClientTypeInput): Promise<ClientType> {
    await this.get(key);
    const updated = await this.clientTypes.update(key, await this.fields(key, input), new Date());
    if (updated === undefined) throw clientTypeNotFound(key);
    return updated;
  }

  async remove(key: string): Promise<void> {
    if (!(await this.clientTypes.delete(key))) throw clientTypeNotFound(key);
  }

  private async fields(key: string, input: ClientTypeInput): Promise<ClientTypeFields> {
    const defaultTemplateId = input.defaultTemplateId ?? null;
    const templateIds = [...new Set([...(input.templateIds ?? []), ...(defaultTemplateId === null ? [] : [defaultTemplateId])])];
    const existing = await this.templates.existing(templateIds);
    const missing = templateIds.filter((id) => !existing.has(id));
    if (missing.length > 0) {
      throw new CycleError(
        CycleErrorCode.InvalidClientType,
        `Client type "${key}" names unknown cycle template(s): ${missing.join(', ')}`,
        {
          clientType: key,
          unknownTemplateIds: missing,
        },
      );
    }
    return { name: input.name.trim(), templateIds, defaultTemplateId };
  }
}
