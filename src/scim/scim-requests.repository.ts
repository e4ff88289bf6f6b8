import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Database } from '../database/database.service';
import { batchDelete, PurgesRows } from '../housekeeping/purges-rows.decorator';
import type { TenantRef } from '../tenancy/tenant';

export interface ScimRequestRecord {
  tenant: TenantRef;
  tokenId: string | null;
  at: Date;
  method: string;
  path: string;
  status: number;
  scimType: string | null;
  detail: string | null;
}

export interface ScimRequestRow {
  at: Date;
  method: string;
  path: string;
  status: number;
  scimType: string | null;
  detail: string | null;
  tokenId: string | null;
}

/** Rows written together: a directory's cycle sends hundreds of requests a second. */
const BATCH_SIZE = 200;
/** How long a recorded request may wait for its batch. */
const FLUSH_DELAY_MS = 100;

/**
 * The recent SCIM requests of each tenant, for the settings page (housekeeping purges them by age).
 * Recorded requests are written in batches, one statement each, instead of one round trip per
 * request; this instance's pending ones are written before it reads the log or shuts down.
 */
@Injectable()
export class ScimRequestsRepository implements BeforeApplicationShutdown {
  private readonly logger = new Logger('ScimRequestLog');
  private pending: ScimRequestRecord[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly database: Database) {}

  record(entry: ScimRequestRecord): void {
    this.pending.push(entry);
    if (this.pending.length >= BATCH_SIZE) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_DELAY_MS).unref();
  }

  /** Writes what is pending; resolves once every batch recorded before the call is written (or failed, logged). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) {
      this.writing = this.writing.then(() =>
        this.insert(batch).catch((error: Error) => this.logger.warn({ msg: 'SCIM requests not recorded', count: batch.length, error: error.message })),
      );
    }
    return this.writing;
  }

  /** Before any module's shutdown hook: the database closes in its own. */
  beforeApplicationShutdown(): Promise<void> {
    return this.flush();
  }

  private async insert(batch: ScimRequestRecord[]): Promise<void> {
    const rows = batch.map((entry) => ({
      id: randomUUID(),
      tenant_type: entry.tenant.type,
      tenant_id: entry.tenant.id,
      token_id: entry.tokenId,
      at: entry.at.toISOString(),
      method: entry.method,
      path: entry.path,
      status: entry.status,
      scim_type: entry.scimType,
      detail: entry.detail,
    }));
    await this.database.manager.query(
      `INSERT INTO scim_requests (id, tenant_type, tenant_id, token_id, at, method, path, status, scim_type, detail)
       SELECT id, tenant_type, tenant_id, token_id, at, method, path, status, scim_type, detail
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, tenant_type text, tenant_id uuid, token_id uuid, at timestamptz,
                                             method text, path text, status int, scim_type text, detail text)`,
      [JSON.stringify(rows)],
    );
  }

  async latest(tenant: TenantRef, limit: number): Promise<ScimRequestRow[]> {
    await this.flush();
    return this.database.manager.query(
      `SELECT at, method, path, status, scim_type AS "scimType", detail, token_id AS "tokenId"
       FROM scim_requests WHERE tenant_type = $1 AND tenant_id = $2 ORDER BY at DESC, id LIMIT $3`,
      [tenant.type, tenant.id, limit],
    );
  }

  @PurgesRows('scim_requests')
  async deleteBefore(batchSize: number, retainedSince: Date): Promise<number> {
    const [, deleted]: [unknown, number] = await this.database.manager.query(batchDelete('scim_requests', 'at < $2'), [batchSize, retainedSince]);
    return deleted;
  }
}
