import { ApiProperty } from '@nestjs/swagger';
import { DAYS_DUE_BASES, type ChangedItemKind, type DaysDue, type DaysDueBase } from '../../domain';
import type { TemplateRecord } from '../cycle-template.repository';

export class DaysDueResponse {
  @ApiProperty({ example: -30, type: 'integer', description: 'Whole days after (positive) or before (negative) the base date.' })
  days!: number;
  @ApiProperty({ enum: DAYS_DUE_BASES, example: 'renewal' }) relativeTo!: DaysDueBase;
}

export class TemplateTaskResponse {
  @ApiProperty({ example: 'send-welcome-pack' }) id!: string;
  @ApiProperty({ example: 'Send the welcome pack' }) name!: string;
  @ApiProperty({ example: 0 }) order!: number;
  @ApiProperty({ type: DaysDueResponse, nullable: true }) daysDue!: DaysDue | null;
  @ApiProperty({ example: 'csm', nullable: true, type: String }) ownerRole!: string | null;
}

export class TemplateActivityResponse {
  @ApiProperty({ example: 'welcome' }) id!: string;
  @ApiProperty({ example: 'Welcome' }) name!: string;
  @ApiProperty({ example: 0 }) order!: number;
  @ApiProperty({ type: DaysDueResponse, nullable: true }) daysDue!: DaysDue | null;
  @ApiProperty({ type: [TemplateTaskResponse] }) tasks!: TemplateTaskResponse[];
}

export class TemplateStageResponse {
  @ApiProperty({ example: 'kickoff' }) id!: string;
  @ApiProperty({ example: 'Kickoff' }) name!: string;
  @ApiProperty({ example: 0 }) order!: number;
  @ApiProperty({ type: DaysDueResponse, nullable: true }) daysDue!: DaysDue | null;
  @ApiProperty({ type: [TemplateActivityResponse] }) activities!: TemplateActivityResponse[];
}

/** A cycle template, current version (C1). */
export class TemplateResponse {
  @ApiProperty({ example: 'enterprise-onboarding' }) id!: string;
  @ApiProperty({ example: 'Enterprise onboarding' }) name!: string;
  @ApiProperty({ example: 'From kickoff to go-live', nullable: true, type: String }) description!: string | null;
  @ApiProperty({ example: 2, type: 'integer', description: '+1 with every edit (C10).' }) version!: number;
  @ApiProperty({ example: 'adoption', nullable: true, type: String, description: 'C8: started when a cycle of this template completes.' })
  nextTemplateId!: string | null;
  @ApiProperty({ example: false, description: 'C2: the global default.' }) isDefault!: boolean;
  @ApiProperty({ example: false, description: 'The built-in default template (it cannot be deleted).' }) builtIn!: boolean;
  @ApiProperty({ type: [TemplateStageResponse] }) stages!: TemplateStageResponse[];
  @ApiProperty({ example: '2025-03-01T09:00:00.000Z', format: 'date-time' }) createdAt!: string;
  @ApiProperty({ example: '2025-03-02T09:00:00.000Z', format: 'date-time' }) updatedAt!: string;
}

export class TemplateListResponse {
  @ApiProperty({ type: [TemplateResponse] }) items!: TemplateResponse[];
}

export class TemplateEditResponse {
  @ApiProperty({ type: TemplateResponse }) template!: TemplateResponse;
  @ApiProperty({ example: 'cycles-recalculation-propagate-enterprise-onboarding-v2', description: 'C10: follow at GET /v1/jobs/{jobId}.' })
  propagationJobId!: string;
}

export class ItemRefResponse {
  @ApiProperty({ enum: ['cycle', 'stage', 'activity', 'task'], example: 'task' }) kind!: ChangedItemKind;
  @ApiProperty({ example: 'send-welcome-pack' }) id!: string;
  @ApiProperty({ example: 'Send the welcome pack' }) name!: string;
}

export class RenamedItemRefResponse extends ItemRefResponse {
  @ApiProperty({ example: 'Send welcome pack' }) previousName!: string;
}

export class TemplateChangesResponse {
  @ApiProperty({ type: [ItemRefResponse] }) added!: ItemRefResponse[];
  @ApiProperty({ type: [RenamedItemRefResponse] }) renamed!: RenamedItemRefResponse[];
  @ApiProperty({ type: [ItemRefResponse] }) removed!: ItemRefResponse[];
}

export class CyclesPreviewResponse {
  @ApiProperty({ example: 120, type: 'integer', description: 'Active cycles of the template the edit applies to.' }) cyclesReached!: number;
  @ApiProperty({ example: 118, type: 'integer', description: 'Of those, cycles in which something would change.' }) cyclesChanged!: number;
  @ApiProperty({ example: 2, type: 'integer', description: 'Of those, cycles the edit would complete.' }) cyclesCompleted!: number;
  @ApiProperty({ example: 118, type: 'integer' }) added!: number;
  @ApiProperty({ example: 0, type: 'integer' }) renamed!: number;
  @ApiProperty({ example: 4, type: 'integer' }) removed!: number;
}

/** C10: what an edit would do, without doing it. */
export class TemplateEditPreviewResponse {
  @ApiProperty({ example: 'enterprise-onboarding' }) templateId!: string;
  @ApiProperty({ example: 2, type: 'integer' }) fromVersion!: number;
  @ApiProperty({ example: 3, type: 'integer' }) toVersion!: number;
  @ApiProperty({ type: TemplateChangesResponse }) template!: TemplateChangesResponse;
  @ApiProperty({ type: CyclesPreviewResponse }) cycles!: CyclesPreviewResponse;
}

export class SettingsResponse {
  @ApiProperty({ example: 'default-successcycle' }) defaultCycleTemplateId!: string;
  @ApiProperty({ example: 'Default SuccessCycle', nullable: true, type: String }) defaultCycleTemplateName!: string | null;
}

const item = (i: { id: string; name: string; order: number; daysDue?: DaysDue }) => ({
  id: i.id,
  name: i.name,
  order: i.order,
  daysDue: i.daysDue ?? null,
});

export function toTemplateResponse(record: TemplateRecord, defaultTemplateId: string): TemplateResponse {
  const t = record.template;
  return {
    id: t.id,
    name: t.name,
    description: t.description ?? null,
    version: t.version,
    nextTemplateId: t.nextTemplateId ?? null,
    isDefault: t.id === defaultTemplateId,
    builtIn: record.isBuiltIn,
    stages: [...t.stages]
      .sort((a, b) => a.order - b.order)
      .map((s) => ({
        ...item(s),
        activities: [...s.activities]
          .sort((a, b) => a.order - b.order)
          .map((a) => ({
            ...item(a),
            tasks: [...a.tasks].sort((x, y) => x.order - y.order).map((k) => ({ ...item(k), ownerRole: k.ownerRole ?? null })),
          })),
      })),
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}
