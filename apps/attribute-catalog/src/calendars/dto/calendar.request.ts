import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';
import { CALENDAR_KEY_PATTERN, CIVIL_DATE_PATTERN } from '@lifecycle/contracts';
import { CALENDAR_LIMITS } from '../../domain/calendar';
import { PresentIfGiven } from '@lifecycle/http';

const WEEKDAYS_DESCRIPTION = 'ISO weekdays that are worked: 1 = Monday … 7 = Sunday. Default Monday to Friday.';
const HOLIDAYS_DESCRIPTION = 'Dates (YYYY-MM-DD, in the calendar’s zone) that are never worked; replaces the whole list.';
const ZONE_DESCRIPTION = 'IANA time-zone name; the calendar’s days begin and end at its midnights.';

/** The request classes of the calendar routes: what the ValidationPipe enforces and the document shows. */

export class CalendarParams {
  @ApiProperty({ example: 'germany' })
  @Length(1, CALENDAR_LIMITS.keyLength)
  @Matches(CALENDAR_KEY_PATTERN, { message: '$property must be a calendar key (lowercase slug), e.g. germany' })
  key!: string;
}

/** POST /v1/calendars */
export class CreateCalendarBody {
  @ApiProperty({ example: 'germany', pattern: CALENDAR_KEY_PATTERN.source, maxLength: CALENDAR_LIMITS.keyLength })
  @IsString()
  @Length(1, CALENDAR_LIMITS.keyLength)
  @Matches(CALENDAR_KEY_PATTERN, { message: '$property must be a lowercase slug (letters, digits, single dashes), e.g. germany' })
  key!: string;

  @ApiProperty({ example: 'Germany (Berlin)', maxLength: CALENDAR_LIMITS.nameLength })
  @IsString()
  @Length(1, CALENDAR_LIMITS.nameLength)
  name!: string;

  @ApiPropertyOptional({ type: [Number], example: [1, 2, 3, 4, 5], description: WEEKDAYS_DESCRIPTION })
  @PresentIfGiven()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  workingWeekdays?: number[];

  @ApiPropertyOptional({ type: [String], example: ['2025-12-25', '2025-12-26'], description: HOLIDAYS_DESCRIPTION })
  @PresentIfGiven()
  @IsArray()
  @ArrayMaxSize(CALENDAR_LIMITS.holidays)
  @Matches(CIVIL_DATE_PATTERN, { each: true, message: 'each of $property must be a date written YYYY-MM-DD' })
  holidays?: string[];

  @ApiProperty({ example: 'Europe/Berlin', description: ZONE_DESCRIPTION })
  @IsString()
  @Length(1, 64)
  timeZone!: string;
}

/** PATCH /v1/calendars/{key}: absent fields stay as they are; the key cannot change. */
export class UpdateCalendarBody {
  @ApiPropertyOptional({ example: 'Germany (Berlin)', maxLength: CALENDAR_LIMITS.nameLength })
  @PresentIfGiven()
  @IsString()
  @Length(1, CALENDAR_LIMITS.nameLength)
  name?: string;

  @ApiPropertyOptional({ type: [Number], example: [1, 2, 3, 4, 5], description: WEEKDAYS_DESCRIPTION })
  @PresentIfGiven()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  workingWeekdays?: number[];

  @ApiPropertyOptional({ type: [String], example: ['2025-12-25', '2025-12-26'], description: HOLIDAYS_DESCRIPTION })
  @PresentIfGiven()
  @IsArray()
  @ArrayMaxSize(CALENDAR_LIMITS.holidays)
  @Matches(CIVIL_DATE_PATTERN, { each: true, message: 'each of $property must be a date written YYYY-MM-DD' })
  holidays?: string[];

  @ApiPropertyOptional({ example: 'Europe/Berlin', description: ZONE_DESCRIPTION })
  @PresentIfGiven()
  @IsString()
  @Length(1, 64)
  timeZone?: string;
}
