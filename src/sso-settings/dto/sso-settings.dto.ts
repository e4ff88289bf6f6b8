import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
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
import { domainSpelling } from '../../domains/domain-name';
import { LOGIN_FAILURE_REASONS } from '../../saml/login/login-failure';
import { ROLES, Role } from '../../sso-config/sso-config.types';
import { OPTION_NAMES, OptionRule, optionSpec, SsoOptionsPatch } from '../../sso-config/sso-options';

/** Absent is fine; an explicit null is not (every setting has a value). */
const Optional = () => ValidateIf((_object, value) => value !== undefined);

const DOMAIN_NAME = /^(?=.{1,253}$)(?:(?!-)[a-z0-9-]{1,63}(?<!-)\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const DOMAIN_MESSAGE = '$property must contain valid domain names such as example.com';

const normalizedDomains = ({ value }: { value: unknown }) =>
  Array.isArray(value)
    ? [...new Set(value.map((item) => (typeof item === 'string' ? domainSpelling(item) : item)))]
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

/** The validators and the OpenAPI schema of each kind of option value. */
function decoratorsOf(rule: OptionRule): { schema: ApiPropertyOptions; validators: PropertyDecorator[] } {
  switch (rule.kind) {
    case 'boolean':
      return { schema: { type: Boolean }, validators: [IsBoolean()] };
    case 'integer':
      return { schema: { type: 'integer', minimum: rule.min, maximum: rule.max }, validators: [IsInt(), Min(rule.min), Max(rule.max)] };
    case 'oneOf':
      return { schema: { enum: [...rule.values] }, validators: [IsIn([...rule.values])] };
    case 'domainList':
      return {
        schema: { type: [String], maxItems: rule.maxItems, example: ['example.com'] },
        validators: [
          IsArray(),
          ArrayMaxSize(rule.maxItems),
          Transform(normalizedDomains),
          IsString({ each: true }),
          Matches(DOMAIN_NAME, { each: true, message: DOMAIN_MESSAGE }),
        ],
      };
    case 'attributeMapping':
      return { schema: { type: AttributeMappingDto }, validators: [ValidateNested(), Type(() => AttributeMappingDto)] };
    case 'roleMapping':
      return {
        schema: { type: [RoleMappingEntryDto], maxItems: rule.maxItems },
        validators: [IsArray(), ArrayMaxSize(rule.maxItems), ValidateNested({ each: true }), Type(() => RoleMappingEntryDto)],
      };
  }
}

/** PATCH {base}: any of the options, each validated as its description (SSO_OPTIONS) says. */
export class UpdateSsoSettingsDto {}
export interface UpdateSsoSettingsDto extends SsoOptionsPatch {}

for (const name of OPTION_NAMES) {
  const { rule, default: defaultValue, label } = optionSpec(name);
  const { schema, validators } = decoratorsOf(rule);
  applyDecorators(ApiPropertyOptional({ ...schema, description: label, default: defaultValue }), Optional(), ...validators)(
    UpdateSsoSettingsDto.prototype,
    name,
  );
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

/** How a query string says yes or no. */
const booleanQuery = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** GET {base}/login-attempts: the newest attempts, narrowed by any of the filters. */
export class LoginAttemptsQueryDto extends LimitQueryDto {
  @ApiPropertyOptional({ enum: ['success', 'failure'] })
  @IsOptional()
  @IsIn(['success', 'failure'])
  outcome?: 'success' | 'failure';

  @ApiPropertyOptional({ enum: LOGIN_FAILURE_REASONS, description: 'The failure reason code' })
  @IsOptional()
  @IsIn([...LOGIN_FAILURE_REASONS])
  reason?: string;

  @ApiPropertyOptional({ description: 'Part of the email address, any case' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({ description: "true: only the settings page's test sign-ins; false: only real ones" })
  @IsOptional()
  @Transform(booleanQuery)
  @IsBoolean()
  test?: boolean;

  @ApiPropertyOptional({ description: "The reference a failed sign-in's error page showed (any case)", example: '7F3KM2QX' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9A-Za-z-]{1,16}$/, { message: 'reference must be the letters and digits the error page showed' })
  reference?: string;
}
