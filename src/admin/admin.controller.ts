import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { PublicRoute } from '../tenancy/access.decorators';
import { AdminFiles, StaticFile } from './admin-files';

/** No inline script or style anywhere, no request to another origin, no framing. */
export const PAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/**
 * How a page relates to the windows it opens or is opened by. The settings page opens the test
 * sign-in window and the result page must still reach it after the window went through the
 * identity provider's origin; every other page keeps other origins' windows out entirely.
 */
type OpenerPolicy = 'same-origin' | 'same-origin-allow-popups' | 'unsafe-none';

/**
 * The SSO settings pages (`/admin`), the user sign-in page (`/login`) and the landing page after
 * sign-in (`/app`), served from static files; they talk to the JSON API like any other client.
 */
@ApiExcludeController()
@Controller()
@PublicRoute()
export class AdminController {
  constructor(private readonly files: AdminFiles) {}

  @Get()
  root(@Res() response: Response): void {
    response.redirect(302, '/app');
  }

  @Get('admin')
  settingsPage(@Res() response: Response): void {
    sendPage(response, this.files.page('admin.html'), 'same-origin-allow-popups');
  }

  @Get('admin/test-result')
  testResultPage(@Res() response: Response): void {
    sendPage(response, this.files.page('test-result.html'), 'unsafe-none');
  }

  @Get('login')
  signInPage(@Res() response: Response): void {
    sendPage(response, this.files.page('login.html'), 'same-origin');
  }

  @Get('app')
  landingPage(@Res() response: Response): void {
    sendPage(response, this.files.page('app.html'), 'same-origin');
  }

  @Get('assets/:name')
  asset(@Param('name') name: string, @Res() response: Response): void {
    const file = this.files.asset(name);
    if (!file) throw new NotFoundException('No such file');
    response.set({ 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' });
    send(response, file);
  }
}

function sendPage(response: Response, page: StaticFile, openerPolicy: OpenerPolicy): void {
  response.set({
    'Content-Security-Policy': PAGE_CONTENT_SECURITY_POLICY,
    'Cross-Origin-Opener-Policy': openerPolicy,
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  });
  send(response, page);
}

/** Express adds an ETag and answers a matching If-None-Match with 304. */
function send(response: Response, file: StaticFile): void {
  response.type(file.contentType).send(file.body);
}
