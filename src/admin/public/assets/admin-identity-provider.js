// @ts-check
import { announce, byId, date, dateTime, element, find } from './dom.js';
import { problemInWords } from './field-problems.js';
import { FieldError, onSubmit } from './forms.js';

/** @typedef {import('./settings-session.js').SettingsSession} SettingsSession */
/** @typedef {import('./settings-session.js').Settings} Settings */
/** @typedef {import('./settings-session.js').IdentityProvider} IdentityProvider */
/** @typedef {(error: unknown) => Node | undefined} RecoveryAction */

const MAX_METADATA_BYTES = 1_048_576;
const METHOD_BY_SOURCE = /** @type {Record<string, string>} */ ({ metadataXml: 'upload', metadataUrl: 'url', manual: 'manual' });

/**
 * @param {SettingsSession} session
 * @param {RecoveryAction} recoveryAction
 */
export function setUpIdentityProvider(session, recoveryAction) {
  const forms = /** @type {HTMLFormElement[]} */ ([...document.querySelectorAll('form[data-method]')]);
  document.querySelectorAll('input[name="idpMethod"]').forEach((radio) => {
    radio.addEventListener('change', () => showMethod(forms, /** @type {HTMLInputElement} */ (radio).value));
  });

  /**
   * @param {HTMLFormElement} form
   * @param {() => Promise<Record<string, string>>} body
   */
  const submitsIdentityProvider = (form, body) =>
    onSubmit(
      form,
      async () => {
        await session.change('PUT', '/identity-provider', await body());
        form.reset();
        announce('The identity provider was saved.');
        byId('idp-title', HTMLElement).focus();
      },
      recoveryAction,
    );

  submitsIdentityProvider(byId('idp-upload-form', HTMLFormElement), async () => {
    const file = byId('idp-metadata-file', HTMLInputElement).files?.[0];
    if (!file) throw new FieldError('metadataXml', 'Choose the metadata file your identity provider exported.');
    if (file.size > MAX_METADATA_BYTES) throw new FieldError('metadataXml', 'This file is larger than 1 MB; it is not a metadata file.');
    return { metadataXml: await file.text() };
  });
  submitsIdentityProvider(byId('idp-paste-form', HTMLFormElement), async () => {
    const metadataXml = byId('idp-metadata-xml', HTMLTextAreaElement).value.trim();
    if (!metadataXml) throw new FieldError('metadataXml', 'Paste the metadata your identity provider exported.');
    // The XML parser's own words ("missing root element") tell an administrator nothing.
    if (!metadataXml.startsWith('<')) {
      throw new FieldError('metadataXml', 'This is not metadata. Metadata is an XML document that starts with "<"; copy the whole file your identity provider exported.');
    }
    return { metadataXml };
  });
  submitsIdentityProvider(byId('idp-url-form', HTMLFormElement), async () => ({
    metadataUrl: byId('idp-metadata-url', HTMLInputElement).value.trim(),
  }));
  submitsIdentityProvider(byId('idp-manual-form', HTMLFormElement), async () => {
    const sloUrl = byId('idp-slo-url', HTMLInputElement).value.trim();
    return {
      entityId: byId('idp-entity-id', HTMLInputElement).value.trim(),
      ssoUrl: byId('idp-sso-url', HTMLInputElement).value.trim(),
      certificate: byId('idp-certificate', HTMLTextAreaElement).value,
      ...(sloUrl ? { sloUrl } : {}),
    };
  });

  byId('idp-certificate-file', HTMLInputElement).addEventListener('change', async (event) => {
    const file = /** @type {HTMLInputElement} */ (event.target).files?.[0];
    if (file) byId('idp-certificate', HTMLTextAreaElement).value = await certificateText(file);
  });
}

/**
 * Shows the form of the chosen way to add the identity provider.
 * @param {HTMLFormElement[]} forms
 * @param {string} method
 */
function showMethod(forms, method) {
  for (const form of forms) form.hidden = form.dataset.method !== method;
}

/**
 * A certificate file as text: PEM as it is, binary DER (.cer, .der) as base64, which the API accepts too.
 * @param {File} file
 */
async function certificateText(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  if (text.includes('-----BEGIN')) return text;
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * @param {SettingsSession} session
 * @param {RecoveryAction} recoveryAction
 * @param {boolean} firstRender
 */
export function renderIdentityProvider(session, recoveryAction, firstRender) {
  const provider = session.settings?.identityProvider ?? null;
  const summary = byId('idp-summary', HTMLElement);
  summary.replaceChildren(provider ? describeIdentityProvider(session, provider, recoveryAction) : element('p', { class: 'notice' }, 'No identity provider yet: add one below.'));
  byId('idp-method-legend', HTMLElement).textContent = provider ? 'Replace the identity provider' : 'Add the identity provider';
  if (firstRender && provider?.source) {
    const method = METHOD_BY_SOURCE[provider.source] ?? 'upload';
    find(document, `input[name="idpMethod"][value="${method}"]`, HTMLInputElement).checked = true;
    showMethod(/** @type {HTMLFormElement[]} */ ([...document.querySelectorAll('form[data-method]')]), method);
  }
}

/**
 * What the service understood from the metadata or the manual entry.
 * @param {SettingsSession} session
 * @param {IdentityProvider} provider
 * @param {RecoveryAction} recoveryAction
 */
function describeIdentityProvider(session, provider, recoveryAction) {
  const details = element(
    'dl',
    { class: 'details', id: 'idp-details' },
    element('dt', {}, 'Entity ID'),
    element('dd', {}, provider.entityId),
    element('dt', {}, 'Single sign-on URL'),
    element('dd', {}, provider.ssoUrl, element('span', { class: 'aka' }, ` (${provider.ssoBinding === 'post' ? 'HTTP-POST' : 'HTTP-Redirect'})`)),
    element('dt', {}, 'Single logout URL'),
    element('dd', {}, provider.sloUrl ?? 'None'),
  );
  if (provider.metadataUrl) {
    details.append(
      element('dt', {}, 'Metadata URL'),
      element('dd', {}, provider.metadataUrl, provider.lastRefreshedAt ? element('span', { class: 'aka' }, ' (last fetched ', dateTime(provider.lastRefreshedAt), ')') : null),
    );
  }
  const certificates = element(
    'ul',
    { class: 'certificates', 'aria-label': 'Signing certificates' },
    ...provider.certificates.map((certificate) =>
      element(
        'li',
        { class: certificate.expiresSoon ? 'certificate expiring' : 'certificate' },
        element('strong', {}, certificate.subject || 'Certificate'),
        element('br'),
        'Valid until ',
        date(certificate.notAfter),
        element('br'),
        element('span', { class: 'fingerprint' }, `SHA-256 fingerprint ${certificate.fingerprintSha256}`),
        certificate.expiresSoon
          ? element(
              'p',
              { class: 'warning' },
              element('strong', {}, 'Expires soon. '),
              'This certificate expires within 30 days. Get the new certificate (or the updated metadata) from your identity provider and set it here before then, or sign-ins will fail.',
            )
          : null,
      ),
    ),
  );
  /** @type {HTMLElement[]} */
  const parts = [element('h3', {}, 'Current identity provider'), details, element('h4', {}, 'Signing certificates'), certificates];
  if (provider.refreshError) parts.push(refreshFailure(provider));
  if (provider.metadataUrl) parts.push(refreshForm(session, recoveryAction));
  return element('div', { class: 'idp-current' }, ...parts);
}

/**
 * Why the last daily fetch of the metadata failed, in words, and when (the API stores "<ISO time>: <message>").
 * @param {IdentityProvider} provider
 */
function refreshFailure(provider) {
  const [, at, message] = /^(\d{4}-\d\d-\d\dT[^ ]+Z): (.*)$/s.exec(provider.refreshError ?? '') ?? [null, null, provider.refreshError ?? ''];
  const words = problemInWords({ field: 'metadataUrl', code: provider.refreshErrorCode ?? undefined, message }, byId('idp-metadata-url', HTMLInputElement));
  return element(
    'p',
    { class: 'warning', role: 'alert', id: 'idp-refresh-failure', 'data-code': provider.refreshErrorCode ?? undefined },
    element('strong', {}, 'The last refresh of the metadata failed'),
    at ? ' (' : '',
    at ? dateTime(at) : '',
    at ? '). ' : '. ',
    words,
    ' Until it works again, the configuration above stays in use.',
  );
}

/**
 * @param {SettingsSession} session
 * @param {RecoveryAction} recoveryAction
 */
function refreshForm(session, recoveryAction) {
  const form = element(
    'form',
    { id: 'idp-refresh-form' },
    element('p', { class: 'form-error', 'data-form-error': true, role: 'alert', tabindex: '-1', hidden: true }),
    element('div', { class: 'actions' }, element('button', { type: 'submit', class: 'secondary' }, 'Fetch the metadata again now')),
  );
  onSubmit(
    form,
    async () => {
      await session.change('POST', '/identity-provider/refresh');
      announce('The metadata was fetched again.');
      byId('idp-title', HTMLElement).focus();
    },
    recoveryAction,
  );
  return form;
}
