import { Controller, ForbiddenException, Get } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { AccessGuard } from '../../src/tenancy/access.guard';
import { OPTION_NAMES } from '../../src/sso-config/sso-options';
import { nestRoutes } from '../helpers/nest-routes';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * Routes the app serves outside Nest's controllers, which the access guard therefore never sees.
 * Only the OpenAPI document and its UI (public by the contract) may be here.
 */
const OUTSIDE_NEST = [
  'GET /api/docs',
  'GET /api/docs/',
  'GET /api/docs/index.html',
  'GET /api/docs/LICENSE',
  'GET /api/docs/swagger-ui-init.js',
  'GET /api/docs/docs/swagger-ui-init.js',
  'GET /api/docs-json',
  'GET /api/docs-yaml',
];
/** Static files mounted with express.static: the OpenAPI UI's scripts and styles, public like the UI. */
const STATIC_MOUNTS = ['/api/docs', '/api/docs/docs'];
/** Mounted middleware that answers nothing itself: SCIM's body reader hands the body (or its error) to the SCIM routes. */
const BODY_READER_MOUNTS = ['readScimBody /scim/v2'];
/** Nest registers its middleware (request logging) for every path; it answers nothing itself. */
const NEST_MIDDLEWARE_PATH = '/{*path}';

interface ExpressLayer {
  name: string;
  rawPath?: string;
  route?: { path: string; methods: Record<string, boolean> };
}

describe('every route declares who may call it', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('finds an explicit access rule on every controller route', () => {
    const routes = nestRoutes(t.app);
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.filter((route) => !route.rule).map(({ route, handler }) => `${route} (${handler})`)).toEqual([]);
  });

  it('serves nothing outside Nest but the OpenAPI document and its UI', () => {
    const declared = new Set(nestRoutes(t.app).map((route) => route.route));
    const layers = t.app.getHttpAdapter().getInstance().router.stack as unknown as ExpressLayer[];
    const expressRoutes = layers.flatMap(({ route }) =>
      route && route.path !== NEST_MIDDLEWARE_PATH ? Object.keys(route.methods).map((method) => `${method.toUpperCase()} ${route.path}`) : [],
    );
    expect(expressRoutes.filter((route) => !declared.has(route)).sort()).toEqual([...OUTSIDE_NEST].sort());
    const mounts = layers.filter((layer) => !layer.route && layer.rawPath !== '/').map((layer) => `${layer.name} ${layer.rawPath}`);
    expect(mounts.sort()).toEqual([...STATIC_MOUNTS.map((path) => `serveStatic ${path}`), ...BODY_READER_MOUNTS].sort());
  });

  it('refuses a route that declares no rule, before looking at any credential', async () => {
    @Controller('unruled')
    class UnruledController {
      @Get()
      handle() {
        return 'open';
      }
    }
    const request = { headers: { authorization: `Bearer ${t.platform.Authorization.slice(7)}` }, params: {} };
    const context = new ExecutionContextHost([request, {}, () => undefined], UnruledController, UnruledController.prototype.handle);
    await expect(t.app.get(AccessGuard).canActivate(context)).rejects.toBeInstanceOf(ForbiddenException);
  });

  it('lets public routes through without a credential and asks one of the others', async () => {
    await t.http.get('/health').expect(200);
    await t.http.get('/saml/organization/00000000-0000-4000-8000-000000000000/metadata').expect(404);
    await t.http.post('/api/v1/sso/discover').send({ email: 'jane@example.com' }).expect(200, { sso: false });
    await t.http.get('/api/v1/me').expect(401);
    await t.http.get('/api/v1/me').set(t.platform).expect(401);
    await t.http.post('/api/v1/partners').send({ name: 'x' }).expect(401);
    await t.http.get('/api/v1/organizations/00000000-0000-4000-8000-000000000000/sso').expect(401);
  });

  it('documents the SSO settings under both portal paths, with every option of the PATCH body', async () => {
    const { body: document } = await t.http.get('/api/docs-json').expect(200);
    for (const base of ['/api/v1/organizations/{orgId}/sso', '/api/v1/partners/{partnerId}/sso']) {
      expect(Object.keys(document.paths[base]).sort()).toEqual(['delete', 'get', 'patch']);
      for (const [path, method] of [
        ['/enable', 'post'],
        ['/disable', 'post'],
        ['/identity-provider', 'put'],
        ['/identity-provider/refresh', 'post'],
        ['/login-attempts', 'get'],
        ['/audit-log', 'get'],
      ]) {
        expect(document.paths[`${base}${path}`]?.[method]).toBeDefined();
      }
    }
    const patchSchema = document.components.schemas.UpdateSsoSettingsDto;
    expect(Object.keys(patchSchema.properties).sort()).toEqual([...OPTION_NAMES].sort());
    expect(patchSchema.properties.clockSkewSeconds).toMatchObject({ type: 'integer', minimum: 0, maximum: 600, default: 120 });
  });
});
