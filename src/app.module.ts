import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { loggingOptions } from './common/logging';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { AccessGuard } from './tenancy/access.guard';
import { TenancyModule } from './tenancy/tenancy.module';
import { OrganizationSettingsModule } from './organization-settings/organization-settings.module';
import { PartnerSettingsModule } from './partner-settings/partner-settings.module';
import { DiscoveryModule } from './settings-api/discovery.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot(loggingOptions(config.logLevel)),
        ConfigModule.forRoot(config),
        DatabaseModule,
        TenancyModule,
        OrganizationSettingsModule,
        PartnerSettingsModule,
        DiscoveryModule,
      ],
      providers: [
        { provide: APP_GUARD, useExisting: AccessGuard },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}
