import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, Matches } from 'class-validator';
import { IsIsoDate, PresentIfGiven } from '@lifecycle/http';
import { ACCOUNT_ID_MESSAGE, ACCOUNT_ID_PATTERN } from '@lifecycle/contracts';
import { ID_MESSAGE, ID_PATTERN } from '../../templates/dto/template.request';

const CYCLE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
const DATE_MESSAGE = '$property must be an ISO-8601 date or date-time, e.g. 2025-03-01';

export class AccountParams {
  @Matches(ACCOUNT_ID_PATTERN, { message: ACCOUNT_ID_MESSAGE })
  accountId!: string;
}

export class CycleParams extends AccountParams {
  @Matches(CYCLE_ID_PATTERN, { message: '$property must be a cycle id' })
  cycleId!: string;
}

export class TaskParams extends CycleParams {
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  taskId!: string;
}

export class ActivityParams extends CycleParams {
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  activityId!: string;
}

export class CycleStageParams extends CycleParams {
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  stageId!: string;
}

export class AssignCycleBody {
  @ApiProperty({ example: 'enterprise-onboarding' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  templateId!: string;

  @ApiPropertyOptional({ example: '2025-03-01', description: 'Default: now. Due dates are computed from it (C4).' })
  @PresentIfGiven()
  @IsIsoDate(DATE_MESSAGE)
  startDate?: string;

  @ApiPropertyOptional({ example: true, description: 'Default: primary when the account has no primary cycle (C5).' })
  @PresentIfGiven()
  @IsBoolean()
  primary?: boolean;
}

export class UpdateCycleBody {
  @ApiPropertyOptional({ example: true, description: 'Make this cycle the primary one (C5); only `true` is accepted.' })
  @PresentIfGiven()
  @IsIn([true], { message: '$property can only be true: make another cycle primary instead' })
  primary?: true;

  @ApiPropertyOptional({ example: '2025-03-01', description: 'C11: the new start date.' })
  @PresentIfGiven()
  @IsIsoDate(DATE_MESSAGE)
  startDate?: string;

  @ApiPropertyOptional({ example: true, description: 'C11: also move the cycle-start-relative due dates of incomplete items.' })
  @PresentIfGiven()
  @IsBoolean()
  recalculate?: boolean;
}

export class CompleteItemBody {
  @ApiPropertyOptional({ example: '2025-03-08T10:00:00Z', description: 'When it was done; default now, never in the future.' })
  @PresentIfGiven()
  @IsIsoDate(DATE_MESSAGE)
  at?: string;
}
