import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PlatformRoute } from '../tenancy/access.decorators';
import { SigningKeyDto } from './dto/signing-keys.dto';
import { OidcProviderService } from './oidc-provider.service';
import { SigningKeysService } from './signing-keys.service';

@ApiTags('oidc')
@ApiBearerAuth()
@Controller('api/v1/oidc/signing-keys')
@PlatformRoute()
export class SigningKeysController {
  constructor(
    private readonly keys: SigningKeysService,
    private readonly oidc: OidcProviderService,
  ) {}

  @Get()
  @ApiOperation({ summary: "The OpenID provider's published signing keys (platform admin only)" })
  @ApiOkResponse({ type: SigningKeyDto, isArray: true })
  list(): Promise<SigningKeyDto[]> {
    return this.keys.list();
  }

  @Post('rotate')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Schedule the next signing key: published in the JWKS at once, signing from activatesAt (15 minutes later); ' +
      'the key it replaces stays published for a day. Answers the key already scheduled, if any (platform admin only)',
  })
  @ApiOkResponse({ type: SigningKeyDto })
  async rotate(): Promise<SigningKeyDto> {
    const key = await this.keys.rotate();
    await this.oidc.reloadKeys();
    return key;
  }
}
