import { IsInt, IsString, Length, Min } from 'class-validator';

/** `segment.entered` / `segment.exited` */
export class SegmentMembershipChanged {
  @IsString() segmentId!: string;
  @IsString() accountId!: string;
}

/**
 * `segment.saved` (topic `segment.definitions`, key = the segment id): a saved segment was created
 * or changed; `version` grows with every change, so a replica keeps the highest one. What other
 * services need to name a segment (a play's `segment.entered` trigger), not its criteria.
 */
export class SegmentSaved {
  @IsString() @Length(1, 100) segmentId!: string;
  @IsString() @Length(1, 200) name!: string;
  @IsInt() @Min(1) version!: number;
}
