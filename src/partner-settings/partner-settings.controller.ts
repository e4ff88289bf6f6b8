import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { SsoSettingsController } from '../settings-api/sso-settings.controller';
import { TenantRoute } from '../tenancy/access.decorators';

/** Partner Settings > SSO in the partner portal. */
@ApiTags('partner SSO settings')
@Controller('api/v1/partners/:partnerId/sso')
@TenantRoute({ type: 'partner', idParam: 'partnerId' })
export class PartnerSettingsController extends SsoSettingsController {}
