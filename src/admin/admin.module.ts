import { Module } from '@nestjs/common';
import { AdminController } from './admin.controller';
import { AdminFiles } from './admin-files';

/** The pages served by the service itself: SSO settings, user sign-in, and the landing page. */
@Module({
  controllers: [AdminController],
  providers: [AdminFiles],
})
export class AdminModule {}
