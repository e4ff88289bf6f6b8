import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { PlatformRoute } from '../../tenancy/access.decorators';
import { CreatedOAuthClientDto, CreateOAuthClientDto, OAuthClientDto } from './dto/oauth-clients.dto';
import { OAuthClientsService } from './oauth-clients.service';

@ApiTags('oauth clients')
@ApiBearerAuth()
@Controller('api/v1/oauth-clients')
@PlatformRoute()
export class OAuthClientsController {
  constructor(private readonly clients: OAuthClientsService) {}

  @Post()
  @ApiOperation({
    summary: 'Register an app that signs in through the OpenID provider; the secret is shown once',
    description: '400 codes per URI (field `redirectUris.{i}` / `postLogoutRedirectUris.{i}`): not_absolute_url, insecure_scheme, fragment_not_allowed, credentials_not_allowed, duplicate_uri',
  })
  @ApiResponse({ status: 201, type: CreatedOAuthClientDto })
  create(@Body() body: CreateOAuthClientDto): Promise<CreatedOAuthClientDto> {
    return this.clients.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'The registered clients, oldest first, without their secrets' })
  @ApiResponse({ status: 200, type: [OAuthClientDto] })
  list(): Promise<OAuthClientDto[]> {
    return this.clients.list();
  }

  @Delete(':clientId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove the client: its authorization requests, codes and tokens are refused at once' })
  async delete(@Param('clientId') clientId: string): Promise<void> {
    await this.clients.delete(clientId);
  }
}
