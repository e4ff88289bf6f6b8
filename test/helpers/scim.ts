import type { Test } from 'supertest';
import { TestApp } from './test-app';
import { createSsoTenant, SsoTenant } from './sso-tenant';

export const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const SCIM_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const SCIM_ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

export interface ScimTenant extends SsoTenant {
  token: string;
  tokenId: string;
  /** `/scim/v2/{type}/{id}` */
  base: string;
  /** `/api/v1/{organizations|partners}/{id}` */
  apiPath: string;
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** A tenant with SSO configured for the test IdP and one SCIM token. */
export async function createScimTenant(t: TestApp, type: 'organization' | 'partner' = 'organization'): Promise<ScimTenant> {
  const tenant = await createSsoTenant(t, type);
  const apiPath = `/api/v1/${type}s/${tenant.id}`;
  const created = await t.http.post(`${apiPath}/scim/tokens`).set(t.platform).send({ name: 'IdP provisioning' }).expect(201);
  return { ...tenant, token: created.body.token, tokenId: created.body.id, base: `/scim/v2/${type}/${tenant.id}`, apiPath };
}

/** A SCIM request as the clients send it: bearer token, application/scim+json. */
export function scim(t: TestApp, tenant: ScimTenant, method: Method, path: string, body?: unknown, token = tenant.token): Test {
  const request = t.http[method](`${tenant.base}${path}`).set('Authorization', `Bearer ${token}`).set('Accept', 'application/scim+json');
  return body === undefined ? request : request.set('Content-Type', 'application/scim+json; charset=utf-8').send(JSON.stringify(body));
}

export function expectScimError(response: { status: number; body: Record<string, unknown>; headers: Record<string, string> }, status: number, scimType?: string) {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/scim\+json/);
  expect(response.body).toMatchObject({ schemas: [SCIM_ERROR], status: String(status), detail: expect.any(String) });
  if (scimType) expect(response.body.scimType).toBe(scimType);
  else expect(response.body.scimType).toBeUndefined();
}

export function patchOp(...operations: Record<string, unknown>[]) {
  return { schemas: [PATCH_OP], Operations: operations };
}
