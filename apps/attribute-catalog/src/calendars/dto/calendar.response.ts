import { ApiProperty } from '@nestjs/swagger';
import { DEFAULT_CALENDAR_KEY } from '@lifecycle/contracts';
import type { Calendar } from '../../domain/calendar';

/** A business calendar (B1), as the event carries it plus whether it is the default. */
export class CalendarResponse {
  @ApiProperty({ example: 'germany' }) key!: string;
  @ApiProperty({ example: 'Germany (Berlin)' }) name!: string;
  @ApiProperty({ type: [Number], example: [1, 2, 3, 4, 5] }) workingWeekdays!: number[];
  @ApiProperty({ type: [String], example: ['2025-12-25', '2025-12-26'] }) holidays!: string[];
  @ApiProperty({ example: 'Europe/Berlin' }) timeZone!: string;
  @ApiProperty({ example: false, description: `The calendar "${DEFAULT_CALENDAR_KEY}": accounts without their own are counted on it.` })
  default!: boolean;
  @ApiProperty({ example: 2, description: '+1 with every change.' }) version!: number;
  @ApiProperty({ example: '2025-03-01T09:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ example: '2025-03-02T10:00:00.000Z' }) updatedAt!: string;
}

export function toCalendarResponse(calendar: Calendar): CalendarResponse {
  return {
    key: calendar.key,
    name: calendar.name,
    workingWeekdays: [...calendar.workingWeekdays],
    holidays: [...calendar.holidays],
    timeZone: calendar.timeZone,
    default: calendar.key === DEFAULT_CALENDAR_KEY,
    version: calendar.version,
    createdAt: calendar.createdAt,
    updatedAt: calendar.updatedAt,
  };
}
