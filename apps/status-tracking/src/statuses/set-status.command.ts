import { IsDate, IsIn, IsOptional, IsString, Length, Matches, ValidateIf, validateSync, type ValidationError } from 'class-validator';
import { ACCOUNT_ID_MESSAGE, ACCOUNT_ID_PATTERN, ATTRIBUTE_KEY_PATTERN } from '@lifecycle/contracts';
import { invalidCommand } from '../domain/tracking-errors';
import { CHANGE_SOURCES, type ChangeSource } from './lifecycle-state.schema';

export interface SetStatusProps {
  accountId: string;
  attributeKey: string;
  /** Stage name or id; null clears the value (L7). */
  stage: string | null;
  /** Effective time (L11); the caller decides the default (now, or the event's occurredAt). */
  at: Date;
  source: ChangeSource;
  /** L12: REST request id or Idempotency-Key, CSV file + row, CRM event id, namespaced by source. */
  idempotencyKey: string;
  actor: string | null;
  requestId: string | null;
}

/**
 * The one command every input builds (REST, CSV, CRM over Kafka): it validates itself on
 * creation, so an invalid command cannot exist (throws `TrackingError` INVALID_COMMAND).
 */
export class SetStatusCommand implements SetStatusProps {
  @Matches(ACCOUNT_ID_PATTERN, { message: ACCOUNT_ID_MESSAGE })
  readonly accountId!: string;

  @Matches(ATTRIBUTE_KEY_PATTERN, { message: 'attributeKey must be a slug (lowercase letters, digits, dashes)' })
  @Length(1, 64)
  readonly attributeKey!: string;

  @ValidateIf((_o, v) => v !== null)
  @IsString({ message: 'stage must be a stage name or id, or null' })
  @Length(1, 100)
  readonly stage!: string | null;

  @IsDate({ message: 'at must be a date' })
  readonly at!: Date;

  @IsIn(CHANGE_SOURCES)
  readonly source!: ChangeSource;

  @IsString()
  @Length(1, 300)
  readonly idempotencyKey!: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  readonly actor!: string | null;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  readonly requestId!: string | null;

  static create(props: SetStatusProps): SetStatusCommand {
    const command = Object.assign(new SetStatusCommand(), props);
    const errors = validateSync(command, { forbidUnknownValues: true });
    if (errors.length > 0) throw invalidCommand(describe(errors));
    return command;
  }
}

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((e) => Object.values(e.constraints ?? {}));
}
