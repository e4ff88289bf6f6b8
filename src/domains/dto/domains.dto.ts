import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export class ClaimDomainDto {
  @ApiProperty({ example: 'example.com', description: 'An email domain of the tenant; IDNs are stored as their A-label' })
  @IsString()
  @MaxLength(300)
  domain!: string;
}

export class VerifyDomainDto {
  @ApiPropertyOptional({ enum: ['dns', 'manual'], description: '`manual` verifies without DNS (platform operator only)' })
  @IsOptional()
  @IsIn(['dns', 'manual'])
  method?: 'dns' | 'manual';
}

class DomainVerificationDto {
  @ApiProperty({ enum: ['TXT'] }) type!: 'TXT';
  @ApiProperty({ example: '_sso-verification.example.com' }) name!: string;
  @ApiProperty({ example: 'sso-verification=3f9c…' }) value!: string;
}

export class DomainDto {
  @ApiProperty() domain!: string;
  @ApiProperty({ enum: ['pending', 'verified', 'failed'] }) status!: string;
  @ApiProperty({ type: DomainVerificationDto }) verification!: DomainVerificationDto;
  @ApiProperty({ nullable: true, type: String }) verifiedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) lastCheckedAt!: string | null;
  @ApiProperty({ nullable: true, enum: ['record_not_found', 'record_mismatch', 'dns_error', 'domain_taken'] }) reason!: string | null;
}
