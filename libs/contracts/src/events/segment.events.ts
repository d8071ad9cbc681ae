import { IsString } from 'class-validator';

/** `segment.entered` / `segment.exited` */
export class SegmentMembershipChanged {
  @IsString() segmentId!: string;
  @IsString() accountId!: string;
}
