import { Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Req, Res, UseFilters, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthorizedRequest, ScimRoute } from '../tenancy/access.decorators';
import { listOf, resourceTypes, schemas, serviceProviderConfig } from './scim-discovery';
import { notFound } from './scim-error';
import { ScimExceptionFilter } from './scim-exception.filter';
import { GROUP_SCHEMA, USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from './scim-schema';
import { ScimBodyParam, ScimContentType, ScimContextFactory } from './scim-http';
import { project, projectionOf, wants } from './scim-projection';
import { ScimGroupsService } from './scim-groups.service';
import { ScimAnswer, ScimUsersService } from './scim-users.service';

type QueryParameters = Record<string, unknown>;

function answer(response: Response, { resource, version }: ScimAnswer, status = 200) {
  response.status(status).setHeader('ETag', version);
  return resource;
}

/**
 * SCIM 2.0 (RFC 7644) at `/scim/v2/{organization|partner}/{id}`: only that tenant's SCIM tokens
 * get in. Unknown query parameters (Entra ID's `aadOptscim062020`) are ignored.
 */
@ApiTags('scim (RFC 7644)')
@ApiBearerAuth()
@ApiParam({ name: 'tenantType', enum: ['organization', 'partner'] })
@Controller('scim/v2/:tenantType/:tenantId')
@ScimRoute('tenantType', 'tenantId')
@UseFilters(ScimExceptionFilter)
@UseInterceptors(ScimContentType)
export class ScimController {
  constructor(
    private readonly contexts: ScimContextFactory,
    private readonly users: ScimUsersService,
    private readonly groups: ScimGroupsService,
  ) {}

  @Get('ServiceProviderConfig')
  serviceProviderConfig(@Req() request: AuthorizedRequest) {
    return serviceProviderConfig(this.contexts.of(request).baseUrl);
  }

  @Get('ResourceTypes')
  resourceTypes(@Req() request: AuthorizedRequest) {
    return listOf(resourceTypes(this.contexts.of(request).baseUrl));
  }

  @Get('ResourceTypes/:name')
  resourceType(@Req() request: AuthorizedRequest, @Param('name') name: string) {
    const found = resourceTypes(this.contexts.of(request).baseUrl).find((type) => type.id.toLowerCase() === name.toLowerCase());
    if (!found) throw notFound(`Resource type ${name} not found`);
    return found;
  }

  @Get('Schemas')
  schemas(@Req() request: AuthorizedRequest) {
    return listOf(schemas(this.contexts.of(request).baseUrl));
  }

  @Get('Schemas/:id')
  schema(@Req() request: AuthorizedRequest, @Param('id') id: string) {
    const found = schemas(this.contexts.of(request).baseUrl).find((schema) => schema.id.toLowerCase() === id.toLowerCase());
    if (!found) throw notFound(`Schema ${id} not found`);
    return found;
  }

  @Get('Users')
  @ApiOperation({ summary: 'List or filter users (filter, startIndex, count, attributes, excludedAttributes)' })
  listUsers(@Req() request: AuthorizedRequest, @Query() query: QueryParameters) {
    return this.users.list(this.contexts.of(request), query, projectionOf(query, [USER_SCHEMA, ENTERPRISE_USER_SCHEMA]));
  }

  @Post('Users')
  async createUser(@Req() request: AuthorizedRequest, @ScimBodyParam() body: unknown, @Res({ passthrough: true }) response: Response) {
    const created = await this.users.create(this.contexts.of(request), body);
    response.setHeader('Location', (created.resource.meta as { location: string }).location);
    return answer(response, created, 201);
  }

  @Get('Users/:id')
  async getUser(@Req() request: AuthorizedRequest, @Param('id') id: string, @Query() query: QueryParameters, @Res({ passthrough: true }) response: Response) {
    const found = await this.users.get(this.contexts.of(request), id);
    return project(answer(response, found), projectionOf(query, [USER_SCHEMA, ENTERPRISE_USER_SCHEMA]));
  }

  @Put('Users/:id')
  async replaceUser(
    @Req() request: AuthorizedRequest,
    @Param('id') id: string,
    @ScimBodyParam() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answer(response, await this.users.replace(this.contexts.of(request), id, body, ifMatch));
  }

  @Patch('Users/:id')
  async patchUser(
    @Req() request: AuthorizedRequest,
    @Param('id') id: string,
    @ScimBodyParam() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answer(response, await this.users.patch(this.contexts.of(request), id, body, ifMatch));
  }

  @Delete('Users/:id')
  @HttpCode(204)
  async deleteUser(@Req() request: AuthorizedRequest, @Param('id') id: string, @Headers('if-match') ifMatch: string | undefined) {
    await this.users.delete(this.contexts.of(request), id, ifMatch);
  }

  @Get('Groups')
  @ApiOperation({ summary: 'List or filter groups; excludedAttributes=members skips the members' })
  listGroups(@Req() request: AuthorizedRequest, @Query() query: QueryParameters) {
    return this.groups.list(this.contexts.of(request), query, projectionOf(query, [GROUP_SCHEMA]));
  }

  @Post('Groups')
  async createGroup(@Req() request: AuthorizedRequest, @ScimBodyParam() body: unknown, @Res({ passthrough: true }) response: Response) {
    const created = await this.groups.create(this.contexts.of(request), body);
    response.setHeader('Location', (created.resource.meta as { location: string }).location);
    return answer(response, created, 201);
  }

  @Get('Groups/:id')
  async getGroup(@Req() request: AuthorizedRequest, @Param('id') id: string, @Query() query: QueryParameters, @Res({ passthrough: true }) response: Response) {
    const projection = projectionOf(query, [GROUP_SCHEMA]);
    return project(answer(response, await this.groups.get(this.contexts.of(request), id, wants(projection, 'members'))), projection);
  }

  @Put('Groups/:id')
  async replaceGroup(
    @Req() request: AuthorizedRequest,
    @Param('id') id: string,
    @ScimBodyParam() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answer(response, await this.groups.replace(this.contexts.of(request), id, body, ifMatch));
  }

  @Patch('Groups/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'PATCH a group: 204 with the new ETag (Okta and Entra ID expect no body)' })
  async patchGroup(
    @Req() request: AuthorizedRequest,
    @Param('id') id: string,
    @ScimBodyParam() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    response.setHeader('ETag', await this.groups.patch(this.contexts.of(request), id, body, ifMatch));
  }

  @Delete('Groups/:id')
  @HttpCode(204)
  async deleteGroup(@Req() request: AuthorizedRequest, @Param('id') id: string, @Headers('if-match') ifMatch: string | undefined) {
    await this.groups.delete(this.contexts.of(request), id, ifMatch);
  }

  /** Anything else under the base URL (Bulk, /Me, .search): a SCIM 404, after the token check. */
  @Get('*path')
  unknownGet(): never {
    throw notFound('No such SCIM endpoint');
  }

  @Post('*path')
  unknownPost(): never {
    throw notFound('No such SCIM endpoint');
  }

  @Put('*path')
  unknownPut(): never {
    throw notFound('No such SCIM endpoint');
  }

  @Patch('*path')
  unknownPatch(): never {
    throw notFound('No such SCIM endpoint');
  }

  @Delete('*path')
  unknownDelete(): never {
    throw notFound('No such SCIM endpoint');
  }
}
