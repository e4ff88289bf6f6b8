const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const XML_WHITESPACE = /[ \t\r\n]+/g;

/**
 * Decodes base64 text, or returns null when it is not base64. Buffer.from(text, 'base64')
 * silently skips characters outside the alphabet, so the alphabet and the padding are checked
 * first. Whitespace is allowed anywhere: IdPs wrap base64 at 64 or 76 columns.
 */
export function decodeStrictBase64(text: string): Buffer | null {
  const compact = text.replace(XML_WHITESPACE, '');
  if (compact.length === 0 || !BASE64.test(compact)) {
    return null;
  }
  return Buffer.from(compact, 'base64');
}
