import { Module } from '@nestjs/common';
import { EntitiesModule } from '../../database/entity-registry';
import { SsoConfigModule } from '../../sso-config/sso-config.module';
import { OAuthClientEntity } from './oauth-client.entity';
import { OAuthClientsController } from './oauth-clients.controller';
import { OAuthClientsRepository } from './oauth-clients.repository';
import { OAuthClientsService } from './oauth-clients.service';

/** The OpenID provider's clients (`oauth_clients`); the provider looks them up with OAuthClientsService.findForProvider. */
@Module({
  // SsoConfigModule for its SecretBox: the client secrets are sealed like the SP private keys.
  imports: [EntitiesModule.forFeature([OAuthClientEntity]), SsoConfigModule],
  controllers: [OAuthClientsController],
  providers: [OAuthClientsRepository, OAuthClientsService],
  exports: [OAuthClientsService],
})
export class OAuthClientsModule {}
