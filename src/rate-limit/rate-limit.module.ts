import { Global, Module } from '@nestjs/common';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimitRepository } from './rate-limit.repository';

@Global()
@Module({ providers: [RateLimitRepository, RateLimitGuard], exports: [RateLimitGuard] })
export class RateLimitModule {}
