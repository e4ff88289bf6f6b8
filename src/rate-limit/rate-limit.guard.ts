import { CanActivate, ExecutionContext, HttpException, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RateLimitRepository } from './rate-limit.repository';

const WINDOW_MS = 60_000;
const RATE_LIMITED = 'rate-limited';

/** Counts requests per client address on this route group against RATE_LIMIT_PER_MINUTE. */
export const RateLimited = (group: string) => SetMetadata(RATE_LIMITED, group);

/**
 * Per client address and minute, in PostgreSQL so that every instance counts against one budget.
 * The client address is Express's `req.ip` (X-Forwarded-For is trusted only from loopback proxies).
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reflector: Reflector,
    private readonly counters: RateLimitRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const group = this.reflector.get<string | undefined>(RATE_LIMITED, context.getHandler());
    const limit = this.config.rateLimitPerMinute;
    if (!group || limit === 0) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const now = Date.now();
    const windowStart = now - (now % WINDOW_MS);
    const hits = await this.counters.hit(`${group}:${request.ip ?? 'unknown'}`, new Date(windowStart));
    if (hits <= limit) return true;
    const retryAfter = Math.max(1, Math.ceil((windowStart + WINDOW_MS - now) / 1000));
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfter));
    throw new HttpException({ statusCode: 429, message: 'Too many requests; retry later' }, 429);
  }
}
