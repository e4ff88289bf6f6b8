import { Controller, Get, Module, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { PublicRoute } from '../tenancy/access.decorators';
import { PageFiles } from './page-files';
import { sendFile } from './send-page';

/** The scripts and styles every page shares. */
@ApiExcludeController()
@Controller('assets')
@PublicRoute()
export class PageAssetsController {
  constructor(private readonly files: PageFiles) {}

  @Get(':name')
  asset(@Param('name') name: string, @Res() response: Response): void {
    const file = this.files.asset(name);
    if (!file) throw new NotFoundException('No such file');
    response.set({ 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' });
    sendFile(response, file);
  }
}

/**
 * The static pages' files (src/admin/public) and their shared assets, for the modules that serve
 * pages (SettingsPagesModule, SignInPagesModule). The pages talk to the JSON API like any other client.
 */
@Module({
  controllers: [PageAssetsController],
  providers: [PageFiles],
  exports: [PageFiles],
})
export class PagesModule {}
