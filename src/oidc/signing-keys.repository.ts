import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../database/database.service';
import { PurgesRows } from '../housekeeping/purges-rows.decorator';

export interface StoredSigningKey {
  kid: string;
  /** The private JWK, sealed. */
  sealedJwk: string;
  createdAt: Date;
  activatesAt: Date;
}

const LOCK = 'sso-service:oidc-signing-keys';

@Injectable()
export class SigningKeysRepository {
  constructor(private readonly database: Database) {}

  async all(): Promise<StoredSigningKey[]> {
    return this.database.manager.query(
      `SELECT kid, private_jwk AS "sealedJwk", created_at AS "createdAt", activates_at AS "activatesAt"
       FROM oidc_signing_keys ORDER BY activates_at, kid`,
    );
  }

  /**
   * Runs `work` holding the keys' lock for a transaction, so that instances starting together make
   * one first key, and two rotations at once schedule one.
   */
  async locked<T>(work: (keys: LockedSigningKeys) => Promise<T>): Promise<T> {
    return this.database.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [LOCK]);
      return work(new LockedSigningKeys(manager));
    });
  }

  /**
   * A key goes a day after the key that followed it started signing: the longest-lived thing it
   * signed (an ID token, an hour) has expired by then. The signing key and upcoming keys stay.
   */
  @PurgesRows('oidc_signing_keys')
  async deleteRetired(batchSize: number): Promise<number> {
    const [, deleted]: [unknown, number] = await this.database.manager.query(
      `DELETE FROM oidc_signing_keys WHERE kid IN (
         SELECT old.kid FROM oidc_signing_keys old
         WHERE EXISTS (SELECT 1 FROM oidc_signing_keys newer
                       WHERE newer.activates_at > old.activates_at AND newer.activates_at < now() - interval '${RETIRED_KEY_KEPT_HOURS} hours')
         LIMIT $1)`,
      [batchSize],
    );
    return deleted;
  }
}

export const RETIRED_KEY_KEPT_HOURS = 24;

export class LockedSigningKeys {
  constructor(private readonly manager: EntityManager) {}

  async all(): Promise<StoredSigningKey[]> {
    return this.manager.query(
      `SELECT kid, private_jwk AS "sealedJwk", created_at AS "createdAt", activates_at AS "activatesAt"
       FROM oidc_signing_keys ORDER BY activates_at, kid`,
    );
  }

  async insert(key: StoredSigningKey): Promise<void> {
    await this.manager.query('INSERT INTO oidc_signing_keys (kid, private_jwk, created_at, activates_at) VALUES ($1, $2, $3, $4)', [
      key.kid,
      key.sealedJwk,
      key.createdAt,
      key.activatesAt,
    ]);
  }
}
