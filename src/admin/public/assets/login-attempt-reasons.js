// @ts-check

/**
 * What each failure reason of a login attempt means, and what the administrator can do about it.
 * The names of sections ("Attribute mapping", "Advanced"…) are the headings of the settings page.
 * One entry per reason the service records (LOGIN_FAILURE_REASONS in src/saml/login/login-failure.ts);
 * test/unit/admin/login-attempt-reasons.spec.ts fails when the two lists differ.
 */
export const FAILURE_EXPLANATIONS = /** @type {Record<string, string>} */ ({
  malformed_request:
    'The message posted to the ACS URL was not a readable SAML response. In the identity provider, the ACS URL (Okta: Single sign-on URL; Entra ID: Reply URL) must be exactly the one under Service provider details, with the HTTP-POST binding.',
  invalid_xml: 'The response was not well-formed XML. Check the SAML application in the identity provider.',
  doctype_not_allowed:
    'The response contained a DOCTYPE declaration, which is refused because it can be used for attacks. Real identity providers never send one: check where this sign-in came from.',
  not_a_response:
    'The message posted to the ACS URL was not a SAML Response. Check that the identity provider sends sign-in responses, not other messages, to the ACS URL.',
  status_not_success:
    'The identity provider reported that the sign-in failed. Look at its logs; most often the user is not assigned to the application there.',
  missing_assertion: 'The response contained no assertion. Configure the identity provider to include the assertion in its response.',
  multiple_assertions:
    'The response contained more than one assertion, which is refused. Configure the identity provider to send exactly one.',
  duplicate_id: 'The response contained repeated XML IDs, a sign of a tampered message. Check where this sign-in came from.',
  unsigned:
    'Neither the response nor the assertion was signed. Turn on assertion signing in the identity provider (Okta: Assertion Signature: Signed; Entra ID: Signing option “Sign SAML assertion”).',
  invalid_signature:
    "The signature did not match the identity provider's certificate. The identity provider probably changed its signing certificate: set the identity provider again from its current metadata.",
  untrusted_certificate:
    "The response was signed with a certificate that is not configured here. Set the identity provider again from its current metadata so that its new signing certificate is trusted.",
  weak_algorithm:
    'The identity provider signed with SHA-1, which is refused. Set its signature algorithm to RSA-SHA256 (Entra ID: Signing algorithm SHA-256; ADFS: the relying party\'s Advanced tab), or, only if it cannot, allow SHA-1 under Advanced.',
  unsupported_algorithm:
    'The identity provider used a signature or encryption algorithm that is not supported. Use RSA-SHA256 signatures and, if it encrypts, AES-GCM.',
  decryption_failed:
    "The encrypted assertion could not be decrypted. Make sure the identity provider encrypts for this service's certificate (in the SP metadata) with AES-GCM, or allow CBC under Advanced.",
  issuer_mismatch:
    'The response came from a different identity provider than the one configured (its issuer is not the configured entity ID). Set the identity provider again from the metadata of the one your users sign in with (Entra ID: the Microsoft Entra Identifier).',
  audience_mismatch:
    'The assertion was meant for another application: its audience is not this Entity ID. In the identity provider, set the Audience URI (Okta: Audience URI (SP Entity ID); Entra ID: Identifier (Entity ID)) to the Entity ID shown under Service provider details.',
  destination_mismatch:
    'The response was addressed to another URL. In the identity provider, set the ACS URL (Okta: Single sign-on URL; Entra ID: Reply URL) to the ACS URL shown under Service provider details.',
  recipient_mismatch:
    'The assertion names another recipient. In the identity provider, set the Recipient (ACS URL) to the ACS URL shown under Service provider details.',
  in_response_to_mismatch: 'The response answered a different sign-in request. Ask the user to start signing in again.',
  expired:
    "The assertion had already expired when it arrived. Check the identity provider's clock, or allow more clock skew under Advanced.",
  not_yet_valid:
    "The assertion was not valid yet when it arrived: the identity provider's clock is ahead. Correct its clock, or allow more clock skew under Advanced.",
  missing_subject:
    'The assertion did not say who the user is (no Subject or NameID). Configure the identity provider to send a NameID, ideally the email address (Okta: Name ID format EmailAddress).',
  bearer_confirmation_missing:
    'The assertion had no bearer subject confirmation. Make sure the application in the identity provider is a SAML 2.0 web application.',
  unknown_request:
    'The response answered a sign-in request that this service did not issue, or that timed out. Ask the user to start again from the sign-in page.',
  request_reused:
    'The response answered a sign-in request that had already been used. Ask the user to start signing in again rather than going back in the browser.',
  replayed_assertion: 'This assertion had already been used to sign in, so it was refused. Ask the user to start a new sign-in.',
  idp_initiated_not_allowed:
    "The sign-in started at the identity provider (for example from its app dashboard), which is turned off. Allow IdP-initiated sign-in under Roles and provisioning, or have users start from the sign-in page.",
  sso_disabled: 'Single sign-on is turned off for this tenant. Turn it on to let users sign in.',
  unknown_tenant: 'The sign-in was for a tenant that does not exist. Check the ACS URL configured in the identity provider.',
  user_deactivated: 'This user is deactivated. Reactivate the user if they should have access.',
  user_not_provisioned:
    'This user does not exist here and just-in-time provisioning is off. Create the user first, or turn on just-in-time provisioning under Roles and provisioning.',
  email_missing:
    'The assertion carried no email address. Make the identity provider send the attribute named for Email under Attribute mapping, or send the email address as the NameID.',
  email_invalid: 'The email address in the assertion is not valid. Check which value the identity provider sends as the email attribute.',
  email_domain_not_allowed:
    "The user's email domain is not one of the allowed email domains under Advanced. Add the domain there, or check which email address the identity provider sends.",
  internal_error:
    'The sign-in failed because of an error on our side, not because of the settings here. If it keeps happening, contact support with the reference shown.',
});

/**
 * @param {{ outcome: string, reason: string | null }} attempt
 * @returns {string}
 */
export function explainLoginAttempt(attempt) {
  if (attempt.outcome === 'success') return 'Signed in.';
  const reason = attempt.reason ?? 'unknown';
  return FAILURE_EXPLANATIONS[reason] ?? `The sign-in failed (reason: ${reason}).`;
}

/**
 * Where on the settings page the change is made, or the value to give the identity provider is
 * shown, per reason: the explanation links there. Reasons missing here need no change of settings.
 */
export const FIX_SECTIONS = /** @type {Record<string, { id: string, name: string }>} */ ({
  malformed_request: { id: 'sp-title', name: 'Service provider details' },
  audience_mismatch: { id: 'sp-title', name: 'Service provider details' },
  destination_mismatch: { id: 'sp-title', name: 'Service provider details' },
  recipient_mismatch: { id: 'sp-title', name: 'Service provider details' },
  decryption_failed: { id: 'sp-title', name: 'Service provider details' },
  invalid_signature: { id: 'idp-title', name: 'Identity provider' },
  untrusted_certificate: { id: 'idp-title', name: 'Identity provider' },
  issuer_mismatch: { id: 'idp-title', name: 'Identity provider' },
  weak_algorithm: { id: 'advanced-title', name: 'Advanced' },
  expired: { id: 'advanced-title', name: 'Advanced' },
  not_yet_valid: { id: 'advanced-title', name: 'Advanced' },
  email_domain_not_allowed: { id: 'advanced-title', name: 'Advanced' },
  email_missing: { id: 'attributes-title', name: 'Attribute mapping' },
  email_invalid: { id: 'attributes-title', name: 'Attribute mapping' },
  idp_initiated_not_allowed: { id: 'roles-title', name: 'Roles and provisioning' },
  user_not_provisioned: { id: 'roles-title', name: 'Roles and provisioning' },
  sso_disabled: { id: 'status-title', name: 'Status' },
});

/**
 * The first sentence of a reason's explanation, to name it in a list.
 * @param {string} reason
 */
export function reasonTitle(reason) {
  const explanation = FAILURE_EXPLANATIONS[reason] ?? reason;
  const end = explanation.search(/[.:](\s|$)/);
  return end > 0 ? explanation.slice(0, end) : explanation;
}
