import { Global, Module } from '@nestjs/common';
import { Database } from './database.service';
import { HealthController } from './health.controller';

@Global()
@Module({ controllers: [HealthController], providers: [Database], exports: [Database] })
export class DatabaseModule {}
