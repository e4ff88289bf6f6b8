import { Controller, Get, Module, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { PublicRoute } from '../tenancy/access.decorators';
import { PageFiles } from './page-files';
import { PagesModule } from './pages.module';
import { sendPage } from './send-page';

/** The SSO settings page of tenant admins and the result page of its test sign-in. */
@ApiExcludeController()
@Controller('admin')
@PublicRoute()
export class SettingsPagesController {
  constructor(private readonly files: PageFiles) {}

  @Get()
  settingsPage(@Res() response: Response): void {
    sendPage(response, this.files.page('admin.html'), 'same-origin-allow-popups');
  }

  /** The step-by-step set-up for one identity provider; it opens the test sign-in window like the settings page. */
  @Get('guide')
  guidePage(@Res() response: Response): void {
    sendPage(response, this.files.page('guide.html'), 'same-origin-allow-popups');
  }

  @Get('test-result')
  testResultPage(@Res() response: Response): void {
    sendPage(response, this.files.page('test-result.html'), 'unsafe-none');
  }
}

/**
 * `/setup/{token}`: the guided set-up for the one tenant of a setup link. The page exchanges the token
 * and then takes it out of the address (to `/setup`, which serves the same page from the tab's stored
 * access token); the token is never read here, so an unknown one gets the page too and the page says so.
 */
@ApiExcludeController()
@Controller('setup')
@PublicRoute()
export class SetupLinkPagesController {
  constructor(private readonly files: PageFiles) {}

  @Get()
  afterExchange(@Res() response: Response): void {
    sendPage(response, this.files.page('guide.html'), 'same-origin-allow-popups');
  }

  @Get(':token')
  setupLink(@Res() response: Response): void {
    sendPage(response, this.files.page('guide.html'), 'same-origin-allow-popups');
  }
}

/** `/admin` and `/setup`: the SSO settings pages. */
@Module({ imports: [PagesModule], controllers: [SettingsPagesController, SetupLinkPagesController] })
export class SettingsPagesModule {}
