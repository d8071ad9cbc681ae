import { ApiProperty } from '@nestjs/swagger';

/** Who the presented API key is: what a client shows and which controls it offers. */
export class SessionResponse {
  @ApiProperty({ enum: ['admin', 'viewer'], example: 'viewer', description: 'admin reads and writes; viewer only reads.' })
  role!: 'admin' | 'viewer';

  @ApiProperty({ example: 'key-1a2b3c4d', description: 'Non-secret id of the key, as recorded in histories (`actor`).' })
  keyId!: string;
}
