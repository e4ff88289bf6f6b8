import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, Length, MaxLength } from 'class-validator';

export const MAX_REDIRECT_URIS = 20;
const MAX_URI_LENGTH = 2000;

// The URIs' form (absolute, https, no fragment) is checked by the service, so each refusal carries its own code.
export class CreateOAuthClientDto {
  @ApiProperty({ example: 'Cost dashboard', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({
    type: [String],
    example: ['https://dashboard.example.com/oidc/callback'],
    description: 'Exact strings the authorization request must repeat; https, or http on localhost / 127.0.0.1; no fragment',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_REDIRECT_URIS)
  @IsString({ each: true })
  @MaxLength(MAX_URI_LENGTH, { each: true })
  redirectUris!: string[];

  @ApiPropertyOptional({ type: [String], example: ['https://dashboard.example.com/'], description: 'Where end-session may send the browser back; same rules', default: [] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_REDIRECT_URIS)
  @IsString({ each: true })
  @MaxLength(MAX_URI_LENGTH, { each: true })
  postLogoutRedirectUris?: string[];
}

export class OAuthClientDto {
  @ApiProperty({ example: 'oc_Yk3…' }) clientId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String] }) redirectUris!: string[];
  @ApiProperty({ type: [String] }) postLogoutRedirectUris!: string[];
  @ApiProperty() createdAt!: Date;
}

export class CreatedOAuthClientDto extends OAuthClientDto {
  @ApiProperty({ description: 'Shown once; stored only sealed. Sent as client_secret_basic or client_secret_post' }) clientSecret!: string;
}
