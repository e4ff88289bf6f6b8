import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { DEFAULT_LIFETIME_HOURS, MAX_LIFETIME_HOURS, MIN_LIFETIME_HOURS } from '../setup-links.service';

export class CreateSetupLinkDto {
  // The range is checked by the service, so that a refusal carries its own code (lifetime_out_of_range).
  @ApiPropertyOptional({ type: 'integer', minimum: MIN_LIFETIME_HOURS, maximum: MAX_LIFETIME_HOURS, default: DEFAULT_LIFETIME_HOURS })
  @IsOptional()
  @IsInt()
  expiresInHours?: number;
}

export class CreatedSetupLinkDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: '{PUBLIC_BASE_URL}/setup/{token}; shown once, only the token\'s hash is stored' }) url!: string;
  @ApiProperty() expiresAt!: Date;
}

export class SetupLinkDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() expiresAt!: Date;
  @ApiProperty({ nullable: true, type: Date }) lastUsedAt!: Date | null;
  @ApiProperty() revoked!: boolean;
}

export class ExchangeSetupLinkDto {
  @ApiProperty({ description: 'The last segment of the link\'s URL' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  token!: string;
}

class SetupLinkTenantDto {
  @ApiProperty({ enum: ['organization', 'partner'] }) type!: string;
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'The tenant\'s name, for the set-up pages to show' }) name!: string;
}

export class SetupLinkSessionDto {
  @ApiProperty({ description: 'Bearer token for the routes a setup link opens; expires with the link, at most 12 hours' }) accessToken!: string;
  @ApiProperty({ type: SetupLinkTenantDto }) tenant!: SetupLinkTenantDto;
  @ApiProperty() expiresAt!: Date;
}
