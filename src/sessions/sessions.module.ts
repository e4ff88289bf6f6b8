import { Global, Module } from '@nestjs/common';
import { ProvisioningModule } from '../provisioning/provisioning.module';
import { SESSION_AUTHENTICATOR } from '../tenancy/principal';
import { TenancyModule } from '../tenancy/tenancy.module';
import { MeController } from './me.controller';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

/** Global so the access guard (tenancy) can authenticate session tokens without importing this module. */
@Global()
@Module({
  imports: [ProvisioningModule, TenancyModule],
  controllers: [MeController],
  providers: [SessionsRepository, SessionsService, { provide: SESSION_AUTHENTICATOR, useExisting: SessionsService }],
  exports: [SessionsService, SESSION_AUTHENTICATOR],
})
export class SessionsModule {}
