import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's xmlsec1 (libxmlsec1 over libxml2 and OpenSSL): an XML-DSig implementation that is not ours. */
export const XMLSEC1 = '/usr/bin/xmlsec1';

/** Fails the test with the fix when xmlsec1 is missing, rather than skipping it silently. */
export function assertXmlsec1Installed(): void {
  if (!existsSync(XMLSEC1)) {
    throw new Error(`${XMLSEC1} is missing: run .ci/install-xmlsec1 (apt-get install xmlsec1)`);
  }
}

export interface Xmlsec1SignOptions {
  privateKeyPem: string;
  /** `[namespace:]localName` of the elements whose `ID` attribute a Reference URI may name. */
  idElements: string[];
}

/**
 * Signs the signature templates of `xml` with xmlsec1 (`--sign`: it fills in every DigestValue and
 * the SignatureValue of the first Signature it finds). One process per call.
 */
export function signWithXmlsec1(xml: string, options: Xmlsec1SignOptions): string {
  assertXmlsec1Installed();
  const directory = mkdtempSync(join(tmpdir(), 'xmlsec1-'));
  try {
    const keyPath = join(directory, 'key.pem');
    const templatePath = join(directory, 'template.xml');
    writeFileSync(keyPath, options.privateKeyPem, { mode: 0o600 });
    writeFileSync(templatePath, xml);
    const idAttributes = options.idElements.flatMap((element) => ['--id-attr:ID', element]);
    return execFileSync(XMLSEC1, ['--sign', '--privkey-pem', keyPath, ...idAttributes, templatePath], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
