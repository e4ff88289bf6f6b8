/** What the SAML module hands over after a valid assertion: no XML, just names and values. */
export interface AssertedIdentity {
  /** The IdP's entity ID, as the assertion's Issuer names it. */
  issuer: string;
  nameId: string;
  nameIdFormat: string | null;
  attributes: { name: string; friendlyName: string | null; values: string[] }[];
}

/** The user as the IdP describes them, after attribute mapping. */
export interface ResolvedIdentity {
  email: string;
  firstName: string | null;
  lastName: string | null;
  groups: string[];
}
