import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { PresentIfGiven } from '../validation/present-if-given.decorator';
import { IsIsoDate } from '../validation/is-iso-date.decorator';
import { requestSchemas } from './request-schemas';

class PartBody {
  @IsBoolean() done!: boolean;
}

class SampleBody {
  @ApiProperty({ description: 'A slug.', example: 'a-b', maxLength: 999 })
  @Matches(/^[a-z]+(-[a-z]+)*$/)
  @Length(1, 64)
  key!: string;

  @ValidateIf((_o, v) => v !== null)
  @IsString()
  stage!: string | null;

  @IsOptional()
  @IsString()
  note?: string | null;

  @PresentIfGiven()
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize?: number;

  @PresentIfGiven()
  @IsIsoDate('at must be a date')
  at?: string;

  @PresentIfGiven()
  @ValidateNested()
  @Type(() => PartBody)
  part?: PartBody;
}

describe('request schemas from the validation decorators', () => {
  const schemas = requestSchemas(SampleBody);
  const sample = schemas.get('SampleBody')!;
  const properties = sample.properties as Record<string, Record<string, unknown>>;

  it('is closed and requires what validation requires (absent passes only where a condition skips it)', () => {
    expect(sample.additionalProperties).toBe(false);
    expect(sample.required).toEqual(['key', 'stage']);
  });

  it('takes bounds and patterns from validation, annotations only from @ApiProperty', () => {
    expect(properties.key).toMatchObject({
      type: 'string',
      pattern: '^[a-z]+(-[a-z]+)*$',
      minLength: 1,
      maxLength: 64,
      description: 'A slug.',
    });
    expect(properties.pageSize).toMatchObject({ type: 'integer', minimum: 1, maximum: 200 });
    expect(properties.at).toMatchObject({ type: 'string', anyOf: [{ format: 'date' }, { format: 'date-time' }], pattern: '^[1-9]\\d{3}-' });
  });

  it('says null is accepted exactly where validation lets it through', () => {
    expect(properties.stage!.nullable).toBe(true); // ValidateIf(v !== null)
    expect(properties.note!.nullable).toBe(true); // IsOptional
    expect(properties.pageSize!.nullable).toBeUndefined(); // PresentIfGiven: absent, not null
  });

  it('refers to nested classes and describes them too', () => {
    expect(properties.part).toEqual({ $ref: '#/components/schemas/PartBody' });
    expect(schemas.get('PartBody')).toMatchObject({ required: ['done'], additionalProperties: false });
  });
});
