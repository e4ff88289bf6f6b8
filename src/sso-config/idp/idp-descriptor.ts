export type IdpBinding = 'redirect' | 'post';

/** What the SP needs to know about an identity provider, however it was configured. */
export interface IdpDescriptor {
  entityId: string;
  ssoUrl: string;
  ssoBinding: IdpBinding;
  sloUrl: string | null;
  sloBinding: IdpBinding | null;
  wantAuthnRequestsSigned: boolean;
  /** Signing certificates as canonical PEM, deduplicated, in document order. */
  certificates: string[];
}
