import { IdpConfigError } from './idp-config.error';

// SAML core 8.3.6 caps entity identifiers at 1024 characters.
const MAX_ENTITY_ID_LENGTH = 1024;
const MAX_URL_LENGTH = 2048;
// The WHATWG URL parser silently drops tabs and newlines, so a URL holding them is not what it looks like.
const WHITESPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f]/;
const ABSOLUTE_HTTP_URL = /^https?:\/\//i;

/** Returns the trimmed entity ID: any non-empty string (URL or URN), as metadata allows. */
export function validEntityId(value: unknown): string {
  const entityId = typeof value === 'string' ? value.trim() : '';
  if (entityId === '' || entityId.length > MAX_ENTITY_ID_LENGTH || WHITESPACE_OR_CONTROL.test(entityId)) {
    throw new IdpConfigError(
      'entityId',
      'invalid_entity_id',
      `The entity ID must be a non-empty string of at most ${MAX_ENTITY_ID_LENGTH} characters without spaces.`,
    );
  }
  return entityId;
}

/**
 * Returns the trimmed URL, otherwise unchanged: the IdP compares the Destination we send
 * with its own spelling of the endpoint.
 */
export function validEndpointUrl(value: unknown, field: 'ssoUrl' | 'sloUrl'): string {
  const text = typeof value === 'string' ? value.trim() : '';
  const invalid = (reason: string) => new IdpConfigError(field, 'invalid_url', `The ${field} ${reason}.`);
  if (text === '' || text.length > MAX_URL_LENGTH || WHITESPACE_OR_CONTROL.test(text)) {
    throw invalid(`must be an absolute http(s) URL of at most ${MAX_URL_LENGTH} characters without spaces`);
  }
  // Checked on the text, not the parsed URL, which reads "https:host" as "https://host/".
  if (!ABSOLUTE_HTTP_URL.test(text)) {
    throw invalid('must start with https:// or http://');
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid('is not a valid URL');
  }
  // Browsers are sent to this URL; credentials in it would be handed to every user.
  if (url.username !== '' || url.password !== '') {
    throw invalid('must not contain credentials');
  }
  return text;
}
