const XML_WHITESPACE = /[ \t\r\n]/;
const ALL_XML_WHITESPACE = /[ \t\r\n]+/g;

/**
 * Decodes base64 text, or returns null when it is not canonical base64. Buffer.from(text,
 * 'base64') silently skips characters outside the alphabet, accepts the URL-safe alphabet and
 * missing padding, so the decoded bytes are encoded again and must give back the very text: one
 * pass each way in native code, where a validating regular expression over a whole SAMLResponse
 * costs more than the decoding. Whitespace is allowed anywhere: IdPs wrap base64 at 64 or 76
 * columns.
 */
export function decodeStrictBase64(text: string): Buffer | null {
  const compact = XML_WHITESPACE.test(text) ? text.replace(ALL_XML_WHITESPACE, '') : text;
  if (compact.length === 0 || compact.length % 4 !== 0) {
    return null;
  }
  const bytes = Buffer.from(compact, 'base64');
  return bytes.toString('base64') === compact ? bytes : null;
}
