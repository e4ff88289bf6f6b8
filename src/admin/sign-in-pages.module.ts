import { Controller, Get, Module, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { PublicRoute } from '../tenancy/access.decorators';
import { PageFiles } from './page-files';
import { PagesModule } from './pages.module';
import { sendPage } from './send-page';

/** The user sign-in page and the landing page after sign-in. */
@ApiExcludeController()
@Controller()
@PublicRoute()
export class SignInPagesController {
  constructor(private readonly files: PageFiles) {}

  @Get()
  root(@Res() response: Response): void {
    response.redirect(302, '/app');
  }

  @Get('login')
  signInPage(@Res() response: Response): void {
    sendPage(response, this.files.page('login.html'), 'same-origin');
  }

  @Get('app')
  landingPage(@Res() response: Response): void {
    sendPage(response, this.files.page('app.html'), 'same-origin');
  }
}

/** `/login`, `/app` and `/` (which leads to `/app`): the pages of signed-in users. */
@Module({ imports: [PagesModule], controllers: [SignInPagesController] })
export class SignInPagesModule {}
