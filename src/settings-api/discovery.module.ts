import { Module } from '@nestjs/common';
import { SsoConfigModule } from '../sso-config/sso-config.module';
import { DiscoveryController } from './discovery.controller';

@Module({ imports: [SsoConfigModule], controllers: [DiscoveryController] })
export class DiscoveryModule {}
