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

  @Get('test-result')
  testResultPage(@Res() response: Response): void {
    sendPage(response, this.files.page('test-result.html'), 'unsafe-none');
  }
}

/** `/admin`: the SSO settings pages. */
@Module({ imports: [PagesModule], controllers: [SettingsPagesController] })
export class SettingsPagesModule {}
