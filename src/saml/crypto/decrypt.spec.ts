import type { Element } from '@xmldom/xmldom';
import { edit, first } from '../../../test/helpers/saml-attacks';
import { testCredential } from '../../../test/helpers/test-credentials';
import { buildAssertionXml, encryptAssertionXml, type EncryptionOptions } from '../../../test/helpers/test-idp';
import { SamlValidationError } from '../saml-error';
import { parseXml } from '../xml/parse-xml';
import { decryptAssertion } from './decrypt';

const XMLENC_NS = 'http://www.w3.org/2001/04/xmlenc#';
const sp = testCredential('sp');
const plaintext = buildAssertionXml({}, new Date(), true);

async function encrypted(options: EncryptionOptions = {}): Promise<string> {
  return `<r xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${await encryptAssertionXml(plaintext, options)}</r>`;
}

function encryptedAssertionOf(xml: string): Element {
  return parseXml(xml).documentElement!.firstChild as Element;
}

function outcome(xml: string, allowCbc = false, key = sp.privateKey): string {
  try {
    return decryptAssertion(encryptedAssertionOf(xml), key, { allowCbc }) === plaintext ? 'decrypted' : 'garbled';
  } catch (error) {
    if (error instanceof SamlValidationError) {
      return error.reason;
    }
    throw error;
  }
}

describe('decryptAssertion', () => {
  it.each([
    ['AES-256-GCM under RSA-OAEP', {}],
    ['AES-128-GCM under RSA-OAEP', { blockAlgorithm: 'aes128-gcm' }],
    ['RSA-OAEP with a SHA-256 digest and MGF1-SHA1', { oaepDigest: 'sha256' }],
  ] as Array<[string, EncryptionOptions]>)('decrypts %s', async (_name, options) => {
    expect(outcome(await encrypted(options))).toBe('decrypted');
  });

  it('decrypts an EncryptedKey placed beside the EncryptedData, as Shibboleth does', async () => {
    const xml = edit(await encrypted(), (document) => {
      const key = first(document, XMLENC_NS, 'EncryptedKey');
      const keyInfo = key.parentNode as Element;
      key.setAttribute('Id', '_key-1');
      const retrieval = document.createElementNS('http://www.w3.org/2000/09/xmldsig#', 'RetrievalMethod');
      retrieval.setAttribute('URI', '#_key-1');
      retrieval.setAttribute('Type', 'http://www.w3.org/2001/04/xmlenc#EncryptedKey');
      keyInfo.replaceChild(retrieval, key);
      first(document, XMLENC_NS, 'EncryptedData').parentNode!.appendChild(key);
    }).xml;
    expect(xml).toMatch(/<\/xenc:EncryptedData>\s*<e:EncryptedKey/);
    expect(outcome(xml)).toBe('decrypted');
  });

  it('decrypts AES-CBC only with the opt-in', async () => {
    for (const blockAlgorithm of ['aes128-cbc', 'aes256-cbc'] as const) {
      const xml = await encrypted({ blockAlgorithm });
      expect(outcome(xml)).toBe('weak_algorithm');
      expect(outcome(xml, true)).toBe('decrypted');
    }
  });

  it('never decrypts RSA 1.5 key transport, opt-in or not', async () => {
    const xml = await encrypted({ keyTransport: 'rsa-1_5' });
    expect(outcome(xml)).toBe('weak_algorithm');
    expect(outcome(xml, true)).toBe('weak_algorithm');
  });

  it('checks algorithms however the elements are namespaced, as xml-encryption finds them by local name', async () => {
    const xml = edit(await encrypted({ keyTransport: 'rsa-1_5' }), (document) => {
      const method = first(document, XMLENC_NS, 'EncryptedKey').getElementsByTagNameNS(XMLENC_NS, 'EncryptionMethod')[0];
      const foreign = document.createElementNS('urn:elsewhere', 'x:EncryptionMethod');
      foreign.setAttribute('Algorithm', method.getAttribute('Algorithm')!);
      method.parentNode!.replaceChild(foreign, method);
    }).xml;
    expect(outcome(xml, true)).toBe('weak_algorithm');
  });

  it('refuses an unknown block algorithm', async () => {
    const xml = edit(await encrypted(), (document) => {
      first(document, XMLENC_NS, 'EncryptionMethod').setAttribute('Algorithm', 'urn:example:rot13');
    }).xml;
    expect(outcome(xml)).toBe('unsupported_algorithm');
  });

  it('fails with the wrong private key', async () => {
    expect(outcome(await encrypted(), false, testCredential('attacker').privateKey)).toBe('decryption_failed');
  });

  it('fails when the GCM ciphertext was altered', async () => {
    const xml = edit(await encrypted(), (document) => {
      const values = document.getElementsByTagNameNS(XMLENC_NS, 'CipherValue');
      const content = values[values.length - 1];
      const bytes = Buffer.from(content.textContent!, 'base64');
      bytes[20] ^= 1;
      content.textContent = bytes.toString('base64');
    }).xml;
    expect(outcome(xml)).toBe('decryption_failed');
  });
});
