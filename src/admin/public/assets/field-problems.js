// @ts-check

/**
 * The API's problems in words a person understands. A 400 answer lists its problems as
 * `{field, code, message}`: the field is the API's dotted path (`roleMapping.2.group`), the code the
 * failed rule (`is_not_empty`) or the service's reason (`invalid_url`). The page shows each one at the
 * element marked `data-field` with that path, in the words below, which name the field by its label
 * on the page. Any page that marks its fields so can use it (see forms.js).
 * This module imports nothing, so that test/unit/admin/field-problems.spec.ts can check it against
 * the service's codes.
 */

/** @typedef {{ field?: string, code?: string, message: string }} Problem */
/** @typedef {(label: string, context: { field: string, control: Element | null, message: string, inMetadata: boolean }) => string} Words */

/** Replaces the failed DTO rule (class-validator's constraint, in snake_case) with a sentence. */
export const RULE_WORDS = /** @type {Record<string, Words>} */ ({
  is_not_empty: (label) => `Fill in “${label}”.`,
  is_defined: (label) => `Fill in “${label}”.`,
  is_string: (label) => `“${label}” must be text.`,
  is_boolean: (label) => `“${label}” must be on or off.`,
  is_array: (label) => `“${label}” must be a list.`,
  is_int: (label, { control }) => `Enter a whole number in “${label}”${rangeOf(control)}.`,
  min: (label, { control }) => `“${label}” is too small: enter a number${rangeOf(control) || ' that is larger'}.`,
  max: (label, { control }) => `“${label}” is too large: enter a number${rangeOf(control) || ' that is smaller'}.`,
  max_length: (label) => `“${label}” is too long.`,
  is_in: (label) => `Choose one of the offered values for “${label}”.`,
  matches: (label, { field }) =>
    /domains/i.test(field) ? `“${label}” must hold domain names such as example.com, one per line.` : `“${label}” is not in the form it takes: check what you typed.`,
  array_max_size: (label) => `“${label}” has too many entries; remove some.`,
  whitelist_validation: () => 'The page sent a setting the service does not know. Reload the page and try again.',
});

const METADATA_HINT = 'Use the whole metadata file your identity provider exports for this application';

/** The service's reasons for refusing an identity provider (IdpConfigError codes) and other form problems. */
export const REASON_WORDS = /** @type {Record<string, Words>} */ ({
  not_xml: () => `This is not XML. ${METADATA_HINT}; it starts with <?xml or <EntityDescriptor.`,
  doctype_not_allowed: () => 'This file contains a DOCTYPE declaration, which is refused for safety. Export the metadata again from your identity provider.',
  not_metadata: () => `This XML is not SAML metadata (it has no EntityDescriptor). ${METADATA_HINT}, not a certificate or another file.`,
  no_idp_descriptor: () =>
    "This metadata describes no identity provider; it may be a service provider's metadata. Use the metadata of your identity provider's SAML application.",
  multiple_idp_descriptors: () => 'This metadata describes several identity providers. Use the metadata of the one SAML application made for this service.',
  invalid_entity_id: (label, { inMetadata }) =>
    inMetadata
      ? "The metadata gives no usable entity ID for the identity provider. Export the metadata again from your identity provider."
      : `Enter the identity provider's entity ID in “${label}” (Okta: “Identity Provider Issuer”; Entra ID: “Microsoft Entra Identifier”), without spaces.`,
  no_sso_url: () => 'The metadata gives no single sign-on URL for HTTP-Redirect or HTTP-POST. Check that it is the metadata of a SAML 2.0 application.',
  invalid_url: (label, { inMetadata }) =>
    inMetadata
      ? 'An address in the metadata is not a valid https:// URL. Export the metadata again from your identity provider.'
      : `Enter a full web address in “${label}”, starting with https://, without spaces.`,
  certificate_unparsable: (label, { inMetadata }) =>
    inMetadata
      ? 'A certificate in the metadata cannot be read. Export the metadata again from your identity provider.'
      : `This is not a certificate. In “${label}”, paste the text that starts with -----BEGIN CERTIFICATE-----, or load the .cer or .pem file.`,
  certificate_expired: () => 'This certificate has expired. Get the current signing certificate, or the current metadata, from your identity provider.',
  certificate_unsupported_key: () => "This certificate's key type is not supported. Use an RSA (2048 bits or more) or an EC signing certificate.",
  no_signing_certificate: () =>
    'The metadata has no signing certificate that can still be used. Check that the identity provider has a current signing certificate, then export the metadata again.',
  fetch_failed: (_label, { message }) => `${message} Check the address, or upload the metadata file instead.`,
  timeout: () => "The IdP's metadata URL did not answer in time. Check the address, or upload the metadata file instead.",
  too_large: (_label, { inMetadata }) =>
    inMetadata ? 'The file at this address is larger than 1 MB, so it is not a metadata file.' : 'This is larger than 1 MB, so it is not a metadata file.',
  http_not_allowed: (label) => `“${label}” must start with https://.`,
  private_address_not_allowed: () =>
    "This address leads to a private or internal network, which this service does not fetch from. Use the identity provider's public metadata URL, or upload the metadata file instead.",
  exactly_one_source: () => 'Give the identity provider one way only: a metadata file, a metadata URL, or the details by hand.',
  no_metadata_url: () => 'The identity provider was not set from a metadata URL, so there is nothing to fetch again.',
});

/**
 * Whether the problem is inside the identity provider's metadata rather than in what was typed: any
 * problem of pasted or uploaded XML, and those of the document a metadata URL gave (the service
 * starts their message with "In the metadata").
 * @param {Problem} problem
 */
function isInMetadata(problem) {
  return problem.field === 'metadataXml' || (problem.field === 'metadataUrl' && problem.message.startsWith('In the metadata'));
}

/**
 * The problem in words, naming the field by its label on the page (`control` is the field's control,
 * when the page has one). Codes without words here keep the service's message, with the API's field
 * path replaced by the label.
 * @param {Problem} problem
 * @param {Element | null} control
 * @returns {string}
 */
export function problemInWords(problem, control) {
  // A problem found by the page itself is in words already.
  if (!problem.code) return problem.message;
  // A rule broken by a field the page does not show keeps the service's message, which names it.
  const words = control ? RULE_WORDS[problem.code] ?? REASON_WORDS[problem.code] : REASON_WORDS[problem.code];
  const label = control ? labelOf(control) : 'this field';
  if (words) return words(label, { field: problem.field ?? '', control, message: problem.message, inMetadata: isInMetadata(problem) });
  return problem.field && control ? withoutFieldPath(problem.message, problem.field, label) : problem.message;
}

/**
 * A control's label as the page shows it: its `<label>` (without the grey aside), else what it is
 * labelled by, else its fieldset's legend.
 * @param {Element} control
 */
export function labelOf(control) {
  if (control instanceof HTMLElement && control.dataset.label) return control.dataset.label;
  if (control.tagName === 'FIELDSET') return textOf(control.querySelector('legend'));
  const label = 'labels' in control && control.labels instanceof NodeList ? /** @type {Element | undefined} */ (control.labels[0]) ?? null : null;
  const labelledBy = control.getAttribute('aria-labelledby');
  const source = label ?? (labelledBy ? document.getElementById(labelledBy.split(' ')[0]) : null) ?? control.closest('fieldset')?.querySelector('legend');
  return textOf(source);
}

/** @param {Element | null | undefined} source */
function textOf(source) {
  if (!source) return 'this field';
  const copy = /** @type {Element} */ (source.cloneNode(true));
  copy.querySelectorAll('.aka').forEach((aside) => aside.remove());
  return (copy.textContent ?? '').replace(/\s+/g, ' ').trim() || 'this field';
}

/** @param {Element | null} control */
function rangeOf(control) {
  const min = control?.getAttribute('min');
  const max = control?.getAttribute('max');
  return min !== null && min !== undefined && max !== null && max !== undefined ? ` from ${min} to ${max}` : '';
}

/**
 * The API's name of a field (`clockSkewSeconds`, `roleMapping.2.group`) replaced with its label; a
 * field named by a plain word (`domain`, `email`) is left alone, since the word may be the sentence's own.
 * @param {string} message
 * @param {string} field
 * @param {string} label
 */
function withoutFieldPath(message, field, label) {
  const apiNames = [field, field.slice(field.lastIndexOf('.') + 1)].filter((name) => /[A-Z.]/.test(name));
  return apiNames.reduce((text, name) => text.replace(new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'g'), `“${label}”`), message);
}
