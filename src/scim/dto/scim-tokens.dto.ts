import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export class CreateScimTokenDto {
  @ApiProperty({ example: 'Okta provisioning', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name!: string;
}

export class ScimTokenDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ nullable: true, type: Date, description: 'Updated at most once a minute' }) lastUsedAt!: Date | null;
}

export class CreatedScimTokenDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'Shown once; only its hash is stored' }) token!: string;
  @ApiProperty({ example: 'https://sso.example.com/scim/v2/organization/9f0c…' }) baseUrl!: string;
  @ApiProperty() createdAt!: Date;
}

export class ScimRequestsQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class ScimRequestDto {
  @ApiProperty() at!: Date;
  @ApiProperty({ example: 'POST' }) method!: string;
  @ApiProperty({ example: '/scim/v2/organization/…/Users' }) path!: string;
  @ApiProperty({ example: 201 }) status!: number;
  @ApiProperty({ enum: ['success', 'failure'] }) outcome!: 'success' | 'failure';
  @ApiProperty({ nullable: true, type: String, example: 'uniqueness' }) scimType!: string | null;
  @ApiProperty({ nullable: true, type: String }) detail!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) tokenId!: string | null;
}
