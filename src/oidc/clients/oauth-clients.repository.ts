import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Database } from '../../database/database.service';
import { OAuthClientEntity } from './oauth-client.entity';

/** Every read and write of `oauth_clients`. */
@Injectable()
export class OAuthClientsRepository {
  constructor(private readonly database: Database) {}

  private get entities(): EntityManager {
    return this.database.manager;
  }

  async insert(client: OAuthClientEntity): Promise<void> {
    await this.entities.insert(OAuthClientEntity, client);
  }

  list(): Promise<OAuthClientEntity[]> {
    return this.entities.find(OAuthClientEntity, { order: { createdAt: 'ASC', clientId: 'ASC' } });
  }

  /** Read from the database on every call, so a deleted client is refused at once on every instance. */
  find(clientId: string): Promise<OAuthClientEntity | null> {
    return this.entities.findOneBy(OAuthClientEntity, { clientId });
  }

  async delete(clientId: string): Promise<boolean> {
    const result = await this.entities.delete(OAuthClientEntity, { clientId });
    return (result.affected ?? 0) > 0;
  }
}
