import { ArrayMaxSize, ArrayMinSize, IsBoolean, IsInt, IsISO8601, IsString, Length, Matches, Max, Min } from 'class-validator';

export const CALENDAR_KEY_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const CIVIL_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
/** The calendar an account without `calendarKey` (or with an unknown one) is counted on (B1). */
export const DEFAULT_CALENDAR_KEY = 'default';

/** B1: a business calendar, in full (event-carried state, like attributes). */
export class CalendarPayload {
  @Matches(CALENDAR_KEY_PATTERN) @Length(1, 64) key!: string;
  @IsString() @Length(1, 200) name!: string;
  /** ISO weekdays that are worked: 1 = Monday … 7 = Sunday. */
  @IsInt({ each: true }) @Min(1, { each: true }) @Max(7, { each: true }) @ArrayMinSize(1) @ArrayMaxSize(7) workingWeekdays!: number[];
  /** Dates of the calendar's zone that are never worked, `YYYY-MM-DD`, ascending. */
  @Matches(CIVIL_DATE_PATTERN, { each: true }) @ArrayMaxSize(1000) holidays!: string[];
  /** IANA time-zone name: the calendar's days begin at its midnights. */
  @IsString() @Length(1, 64) timeZone!: string;
  /** Increases by one with every change, deletion included (replicas keep the highest). */
  @IsInt() @Min(1) version!: number;
  /** `calendar.deleted`: accounts that name it are counted on the default calendar. */
  @IsBoolean() deleted!: boolean;
  @IsISO8601() updatedAt!: string;
}
