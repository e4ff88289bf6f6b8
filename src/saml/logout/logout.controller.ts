import { Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { clearSessionCookie } from '../../common/session-cookie';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { requestCredential } from '../../common/request-credential';
import { PublicRoute } from '../../tenancy/access.decorators';
import { SingleLogoutService } from './single-logout.service';

@ApiTags('session')
@Controller('api/v1')
export class LogoutController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly logout: SingleLogoutService,
  ) {}

  @Post('logout')
  @HttpCode(200)
  // Public: logging out without a live session (an expired one) still succeeds and clears the cookie.
  @PublicRoute()
  @ApiOperation({ summary: "Ends the session; redirectTo is the IdP's SLO URL with a signed LogoutRequest, or null" })
  async endSession(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<{ redirectTo: string | null }> {
    const result = await this.logout.logout(requestCredential(request));
    clearSessionCookie(response, this.config.servedOverHttps);
    return result;
  }
}
