import { Global, Module } from '@nestjs/common';
import { Database } from './database.service';
import { EntityRegistry } from './entity-registry';
import { HealthController } from './health.controller';

@Global()
@Module({ controllers: [HealthController], providers: [Database, EntityRegistry], exports: [Database, EntityRegistry] })
export class DatabaseModule {}
