import { TestApp } from './test-app';

export interface TenantFixture {
  partner: { id: string };
  partnerKey: string;
  organization: { id: string };
  organizationKey: string;
}

/** A partner with one child organization, each with an API key. */
export async function createPartnerWithOrganization(t: TestApp, name = 'Acme'): Promise<TenantFixture> {
  const partner = (await t.http.post('/api/v1/partners').set(t.platform).send({ name: `${name} Partner` }).expect(201)).body;
  const organization = (
    await t.http.post('/api/v1/organizations').set(t.platform).send({ name: `${name} Org`, partnerId: partner.id }).expect(201)
  ).body;
  const partnerKey = (
    await t.http.post(`/api/v1/partners/${partner.id}/api-keys`).set(t.platform).send({ name: 'partner key' }).expect(201)
  ).body.key;
  const organizationKey = (
    await t.http.post(`/api/v1/organizations/${organization.id}/api-keys`).set(t.platform).send({ name: 'org key' }).expect(201)
  ).body.key;
  return { partner, partnerKey, organization, organizationKey };
}
