import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { decoratedMethods } from '../common/decorated-methods';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Database } from '../database/database.service';
import { SsoConfigRepository } from '../sso-config/sso-config.repository';
import { IdpImportService } from '../sso-config/idp/idp-import.service';
import { DomainsService } from '../domains/domains.service';
import { PurgeBatch, PurgesRows } from './purges-rows.decorator';

export const BATCH_SIZE = 1000;
/** A pass stops starting new batches after this long, so it never holds a connection for long. */
const PASS_BUDGET_MS = 20_000;
const METADATA_MAX_AGE_MS = 24 * 3600_000;
const METADATA_REFRESHES_PER_PASS = 20;

export interface HousekeepingReport {
  deleted: Record<string, number>;
  metadataRefreshed: number;
  domainsRechecked: number;
  domainsFailed: number;
}

interface Purge {
  table: string;
  deleteBatch: PurgeBatch;
}

/**
 * Deletes what has expired (requests, replay entries, sessions, rate-limit windows) and what is
 * past retention (login attempts, audit entries), in bounded batches; refreshes IdP metadata URLs
 * older than a day. One instance at a time does it, under an advisory lock. Which rows go is each
 * owning module's call (its methods marked PurgesRows); when, and how much per pass, is decided here.
 */
@Injectable()
export class HousekeepingService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HousekeepingService.name);
  private timer: NodeJS.Timeout | null = null;
  private purges: Purge[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly database: Database,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly ssoConfigs: SsoConfigRepository,
    private readonly idps: IdpImportService,
    private readonly domains: DomainsService,
  ) {}

  onApplicationBootstrap(): void {
    this.purges = this.discoverPurges();
    if (this.config.housekeepingIntervalSeconds === 0) return;
    this.timer = setInterval(() => void this.runScheduled(), this.config.housekeepingIntervalSeconds * 1000);
    this.timer.unref();
  }

  private discoverPurges(): Purge[] {
    return decoratedMethods<string, PurgeBatch>(this.discovery, this.scanner, PurgesRows).map(({ option, method }) => ({ table: option, deleteBatch: method }));
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async runScheduled(): Promise<void> {
    if (!this.database.isReady) return;
    try {
      await this.database.exclusively('sso-service:housekeeping', async () => {
        const report = await this.runOnce();
        this.logger.log({ msg: 'housekeeping done', ...report });
      });
    } catch (error) {
      this.logger.warn({ msg: 'housekeeping failed; retrying at the next interval', error: (error as Error).message });
    }
  }

  async runOnce(now = new Date()): Promise<HousekeepingReport> {
    const deadline = Date.now() + PASS_BUDGET_MS;
    const deleted: Record<string, number> = {};
    const drain = async (name: string, deleteBatch: () => Promise<number>) => {
      deleted[name] = 0;
      let count: number;
      do {
        count = await deleteBatch();
        deleted[name] += count;
      } while (count === BATCH_SIZE && Date.now() < deadline);
    };
    const retainedSince = new Date(now.getTime() - this.config.retentionDays * 24 * 3600_000);
    for (const { table, deleteBatch } of this.purges) {
      await drain(table, () => deleteBatch(BATCH_SIZE, retainedSince));
    }
    const metadataRefreshed = await this.refreshStaleMetadata(now);
    const domains = await this.domains.recheckDue(now);
    return { deleted, metadataRefreshed, domainsRechecked: domains.checked, domainsFailed: domains.failed };
  }

  private async refreshStaleMetadata(now: Date): Promise<number> {
    const due = await this.ssoConfigs.findDueForRefresh(new Date(now.getTime() - METADATA_MAX_AGE_MS), METADATA_REFRESHES_PER_PASS);
    for (const config of due) {
      await this.idps.refresh({ type: config.tenantType, id: config.tenantId }, null);
    }
    return due.length;
  }
}
