export type IdpConfigField = 'metadataXml' | 'metadataUrl' | 'entityId' | 'ssoUrl' | 'sloUrl' | 'certificate';

export type IdpConfigErrorCode =
  | 'not_xml'
  | 'doctype_not_allowed'
  | 'not_metadata'
  | 'no_idp_descriptor'
  | 'multiple_idp_descriptors'
  | 'invalid_entity_id'
  | 'no_sso_url'
  | 'invalid_url'
  | 'certificate_unparsable'
  | 'certificate_expired'
  | 'certificate_unsupported_key'
  | 'no_signing_certificate'
  | 'fetch_failed'
  | 'too_large'
  | 'timeout'
  | 'http_not_allowed'
  | 'private_address_not_allowed';

/** A rejected identity-provider configuration; `message` is written for the tenant admin who submitted it. */
export class IdpConfigError extends Error {
  override readonly name = 'IdpConfigError';

  constructor(
    readonly field: IdpConfigField,
    readonly code: IdpConfigErrorCode,
    message: string,
  ) {
    super(message);
  }
}
