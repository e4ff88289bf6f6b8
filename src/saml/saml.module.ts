import { Module } from '@nestjs/common';
import { ProvisioningModule } from '../provisioning/provisioning.module';
import { SsoConfigModule } from '../sso-config/sso-config.module';
import { AcsService } from './login/acs.service';
import { LoginConfigCache } from './login/login-config.cache';
import { LoginValidator } from './login/login-validator';
import { LoginWriteRepository } from './login/login-write.repository';
import { SamlLoginRepository } from './login/saml-login.repository';
import { SignInService } from './login/sign-in.service';
import { LogoutController } from './logout/logout.controller';
import { LogoutRequestsRepository } from './logout/logout-requests.repository';
import { SingleLogoutService } from './logout/single-logout.service';
import { SamlController } from './saml.controller';

/** The SAML protocol endpoints: SP metadata, sign-in, the ACS and single logout. */
@Module({
  imports: [SsoConfigModule, ProvisioningModule],
  controllers: [SamlController, LogoutController],
  providers: [LoginConfigCache, SamlLoginRepository, LoginWriteRepository, SignInService, LoginValidator, AcsService, LogoutRequestsRepository, SingleLogoutService],
})
export class SamlModule {}
