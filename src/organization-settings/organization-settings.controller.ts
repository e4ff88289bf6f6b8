import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { SsoSettingsController } from '../settings-api/sso-settings.controller';
import { TenantRoute } from '../tenancy/access.decorators';

/** Organizational Settings > SSO in the client portal. */
@ApiTags('organization SSO settings')
@Controller('api/v1/organizations/:orgId/sso')
@TenantRoute({ type: 'organization', idParam: 'orgId' })
export class OrganizationSettingsController extends SsoSettingsController {}
