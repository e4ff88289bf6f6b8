export type IdpConfigField = 'metadataXml' | 'metadataUrl' | 'entityId' | 'ssoUrl' | 'sloUrl' | 'certificate';

/** Every reason an identity-provider configuration is refused; the settings page puts each in words (field-problems.js). */
export const IDP_CONFIG_ERROR_CODES = [
  'not_xml',
  'doctype_not_allowed',
  'not_metadata',
  'no_idp_descriptor',
  'multiple_idp_descriptors',
  'invalid_entity_id',
  'no_sso_url',
  'invalid_url',
  'certificate_unparsable',
  'certificate_expired',
  'certificate_unsupported_key',
  'no_signing_certificate',
  'fetch_failed',
  'too_large',
  'timeout',
  'http_not_allowed',
  'private_address_not_allowed',
] as const;

export type IdpConfigErrorCode = (typeof IDP_CONFIG_ERROR_CODES)[number];

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

/** Several problems of one configuration found at once (manual entry): the first one, and all of them for the form. */
export class IdpConfigErrors extends IdpConfigError {
  constructor(readonly all: [IdpConfigError, ...IdpConfigError[]]) {
    super(all[0].field, all[0].code, all[0].message);
  }
}
