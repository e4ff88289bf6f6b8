import { ApiProperty } from '@nestjs/swagger';

export class SigningKeyDto {
  @ApiProperty({ description: 'The key id, as in the JWKS and the tokens\' `kid`' })
  kid!: string;

  @ApiProperty({
    enum: ['upcoming', 'signing', 'retiring'],
    description: 'upcoming: published, not signing yet; signing: signs new tokens; retiring: published until the tokens it signed expire',
  })
  state!: 'upcoming' | 'signing' | 'retiring';

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty({ description: 'When it starts (or started) signing' })
  activatesAt!: Date;
}
