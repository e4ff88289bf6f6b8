import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ROLES, Role } from '../../sso-config/sso-config.types';

/** Absent is fine; an explicit null is not (every setting has a value). */
const Optional = () => ValidateIf((_object, value) => value !== undefined);

const DOMAIN_NAME = /^(?=.{1,253}$)(?:(?!-)[a-z0-9-]{1,63}(?<!-)\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const DOMAIN_MESSAGE = '$property must contain valid domain names such as example.com';

const normalizedDomains = ({ value }: { value: unknown }) =>
  Array.isArray(value)
    ? [...new Set(value.map((item) => (typeof item === 'string' ? item.trim().toLowerCase() : item)))]
    : value;

export class IdentityProviderDto {
  @ApiPropertyOptional({ description: 'IdP metadata XML (EntityDescriptor, or EntitiesDescriptor with one IdP)' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1_048_576)
  metadataXml?: string;

  @ApiPropertyOptional({ description: 'https URL of the IdP metadata; fetched now and refreshed daily' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  metadataUrl?: string;

  @ApiPropertyOptional({ description: 'Manual entry: the IdP entity ID (issuer)' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  entityId?: string;

  @ApiPropertyOptional({ description: 'Manual entry: the IdP single sign-on URL' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  ssoUrl?: string;

  @ApiPropertyOptional({ description: 'Manual entry: signing certificate, PEM or base64 DER' })
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  certificate?: string;

  @ApiPropertyOptional({ description: 'Manual entry: the IdP single logout URL' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  sloUrl?: string;
}

export class AttributeMappingDto {
  @ApiPropertyOptional({ example: 'User.Email' }) @Optional() @IsString() @IsNotEmpty() @MaxLength(512) email?: string;
  @ApiPropertyOptional({ example: 'User.FirstName' }) @Optional() @IsString() @IsNotEmpty() @MaxLength(512) firstName?: string;
  @ApiPropertyOptional({ example: 'User.LastName' }) @Optional() @IsString() @IsNotEmpty() @MaxLength(512) lastName?: string;
  @ApiPropertyOptional({ example: 'User.groups' }) @Optional() @IsString() @IsNotEmpty() @MaxLength(512) groups?: string;
}

export class RoleMappingEntryDto {
  @ApiProperty({ example: 'cloud-admins' }) @IsString() @IsNotEmpty() @MaxLength(512) group!: string;
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role!: Role;
}

export class UpdateSsoSettingsDto {
  @ApiPropertyOptional({ type: AttributeMappingDto })
  @Optional()
  @ValidateNested()
  @Type(() => AttributeMappingDto)
  attributeMapping?: AttributeMappingDto;

  @ApiPropertyOptional({ type: [RoleMappingEntryDto] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => RoleMappingEntryDto)
  roleMapping?: RoleMappingEntryDto[];

  @ApiPropertyOptional({ enum: ROLES }) @Optional() @IsIn(ROLES) defaultRole?: Role;
  @ApiPropertyOptional() @Optional() @IsBoolean() justInTimeProvisioning?: boolean;
  @ApiPropertyOptional() @Optional() @IsBoolean() enforceSso?: boolean;
  @ApiPropertyOptional() @Optional() @IsBoolean() groupsOverrideRole?: boolean;
  @ApiPropertyOptional() @Optional() @IsBoolean() allowIdpInitiated?: boolean;
  @ApiPropertyOptional({ minimum: 0, maximum: 600 }) @Optional() @IsInt() @Min(0) @Max(600) clockSkewSeconds?: number;
  @ApiPropertyOptional() @Optional() @IsBoolean() allowSha1Signatures?: boolean;
  @ApiPropertyOptional() @Optional() @IsBoolean() allowCbcEncryption?: boolean;

  @ApiPropertyOptional({ type: [String], example: ['example.com'] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(100)
  @Transform(normalizedDomains)
  @IsString({ each: true })
  @Matches(DOMAIN_NAME, { each: true, message: DOMAIN_MESSAGE })
  domains?: string[];

  @ApiPropertyOptional({ type: [String], example: [] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(100)
  @Transform(normalizedDomains)
  @IsString({ each: true })
  @Matches(DOMAIN_NAME, { each: true, message: DOMAIN_MESSAGE })
  allowedEmailDomains?: string[];
}

export class LimitQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class DiscoverDto {
  @ApiProperty({ example: 'jane@example.com' })
  @IsEmail()
  @MaxLength(320)
  email!: string;
}
