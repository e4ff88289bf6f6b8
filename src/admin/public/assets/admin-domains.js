// @ts-check
import { ApiError, callApi, pluralOf } from './api.js';
import { announce, byId, copyFieldValue, dateTime, element } from './dom.js';
import { onSubmit } from './forms.js';

/** @typedef {import('./settings-session.js').SettingsSession} SettingsSession */
/** @typedef {import('./settings-session.js').Settings} Settings */
/**
 * The contract's `Domain`.
 * @typedef {{
 *   domain: string,
 *   status: 'pending' | 'verified' | 'failed',
 *   verification: { type: 'TXT', name: string, value: string },
 *   verifiedAt: string | null,
 *   lastCheckedAt: string | null,
 *   reason: 'record_not_found' | 'record_mismatch' | 'dns_error' | 'domain_taken' | null,
 * }} Domain
 */

const STATUS_LABELS = { pending: 'Waiting for the DNS record', verified: 'Verified', failed: 'Not verified' };

const PENDING_TEXT =
  'Publish this TXT record at your DNS provider, then choose Verify now. A new record can take from a few minutes to an hour to be seen. ' +
  'Until the domain is verified, it sends nobody to your identity provider.';

/** What to do about each reason a verification did not work, in the admin's words. */
const REASON_TEXT = {
  record_not_found: 'No TXT record was found at that name yet. Check that it is published at exactly this name (some DNS providers add the domain for you: then enter only _sso-verification), and try again in a few minutes.',
  record_mismatch: 'A verification record was found there, but with another value. Copy the value again and replace the old record.',
  dns_error: "This domain's DNS servers did not answer. Nothing is wrong with your record as far as we know: try again in a few minutes.",
  domain_taken: 'Another account verified this domain first, so it cannot be verified here. If this is your company\u2019s domain, contact support.',
};

let copyCount = 0;

/**
 * The Domains section: each claimed domain with the record to publish, Verify now and Remove; a
 * form to claim one; and Enforce SSO, offered once a domain is verified and a sign-in has worked.
 * @param {SettingsSession} session
 * @param {(error: unknown) => Node | undefined} recoveryAction
 * @returns {(settings: Settings) => Promise<void>} renders the section for the latest settings
 */
export function setUpDomains(session, recoveryAction) {
  const path = `/api/v1/${pluralOf(session.tenant.type)}/${encodeURIComponent(session.tenant.id)}/domains`;
  /** @type {Domain[]} */
  let domains = [];

  const refresh = async () => {
    domains = (await callApi(session.credential, 'GET', path)).body;
    render();
  };

  const render = () => {
    byId('domain-list', HTMLUListElement).replaceChildren(
      ...(domains.length === 0 ? [element('li', { class: 'hint' }, 'No domain yet.')] : domains.map((domain) => domainItem(domain))),
    );
    if (session.settings) renderEnforcement(session.settings, domains);
  };

  /** @param {Domain} domain */
  const domainItem = (domain) => {
    const status = element('p', { class: 'hint', role: 'status' }, statusText(domain));
    const verifyButton = element('button', { type: 'button' }, 'Verify now');
    verifyButton.addEventListener('click', async () => {
      verifyButton.disabled = true;
      status.textContent = 'Looking the record up\u2026';
      try {
        await callApi(session.credential, 'POST', `${path}/${encodeURIComponent(domain.domain)}/verify`, { body: {} });
        announce(`${domain.domain} is verified.`);
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 422)) {
          status.textContent = error instanceof Error ? error.message : String(error);
          verifyButton.disabled = false;
          return;
        }
        announce(`${domain.domain} is not verified yet.`);
      }
      await session.load();
    });
    const removeButton = element('button', { type: 'button', class: 'secondary' }, 'Remove');
    removeButton.addEventListener('click', async () => {
      const routing = domain.status === 'verified' ? ' Its users will no longer be sent to your identity provider.' : '';
      if (!window.confirm(`Remove ${domain.domain}?${routing}`)) return;
      try {
        await callApi(session.credential, 'DELETE', `${path}/${encodeURIComponent(domain.domain)}`);
        announce(`${domain.domain} was removed.`);
        await session.load();
      } catch (error) {
        status.textContent = error instanceof Error ? error.message : String(error);
      }
    });
    return element(
      'li',
      { class: 'domain' },
      element(
        'div',
        { class: 'domain-head' },
        element('span', { class: 'domain-name' }, domain.domain),
        element('span', { class: 'badge', 'data-status': domain.status }, STATUS_LABELS[domain.status]),
      ),
      status,
      recordField('Name (host)', domain.verification.name, `${domain.domain} record name`),
      recordField('Value', domain.verification.value, `${domain.domain} record value`),
      element('div', { class: 'actions' }, domain.status === 'verified' ? null : verifyButton, removeButton),
    );
  };

  const claimForm = byId('domain-claim-form', HTMLFormElement);
  onSubmit(
    claimForm,
    async () => {
      const input = byId('domain-name', HTMLInputElement);
      const { body } = await callApi(session.credential, 'POST', path, { body: { domain: input.value.trim() } });
      input.value = '';
      announce(`${body.domain} was added. Publish its TXT record, then verify it.`);
      await session.load();
    },
    recoveryAction,
  );

  return async () => {
    try {
      await refresh();
    } catch (error) {
      byId('domain-list', HTMLUListElement).replaceChildren(
        element('li', { role: 'alert' }, `The domains could not be loaded: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
  };
}

/** @param {Domain} domain */
function statusText(domain) {
  if (domain.status === 'verified') {
    return element(
      'span',
      {},
      'Verified ',
      domain.verifiedAt ? dateTime(domain.verifiedAt) : '',
      '. Keep the record published: it is checked again every day, and a domain whose record is gone for three days stops sending people to your identity provider.',
    );
  }
  if (domain.status === 'failed' && domain.reason) return REASON_TEXT[domain.reason];
  return PENDING_TEXT;
}

/**
 * @param {string} label
 * @param {string} value
 * @param {string} name what the copy button copies, for screen readers
 */
function recordField(label, value, name) {
  const id = `domain-record-${++copyCount}`;
  const input = element('input', { id, readonly: true, value });
  const button = element('button', { type: 'button', class: 'secondary', 'aria-label': `Copy the ${name}` }, 'Copy');
  button.addEventListener('click', async () => {
    const outcome = await copyFieldValue(input);
    announce(outcome === 'copied' ? `The ${name} is copied.` : `The ${name} is selected: press Control+C, or Command+C on a Mac, to copy it.`);
  });
  return element('div', { class: 'copy-field' }, element('label', { for: id }, label), element('div', { class: 'copy-row' }, input, button));
}

/**
 * Enforcement routes people only through verified domains, and locks out everyone if the IdP does
 * not work: it is offered once both hold (and can always be turned off).
 * @param {Settings} settings
 * @param {Domain[]} domains
 */
function renderEnforcement(settings, domains) {
  const checkbox = byId('enforce-sso', HTMLInputElement);
  const blocked = byId('enforce-sso-blocked', HTMLElement);
  const reasons = [];
  if (!domains.some((domain) => domain.status === 'verified')) reasons.push('verify a domain');
  if (!settings.lastSuccessfulSignInAt) reasons.push('complete a test sign-in with your identity provider');
  const offered = settings.enforceSso || reasons.length === 0;
  checkbox.disabled = !offered;
  blocked.hidden = offered;
  blocked.textContent = offered ? '' : `Available once you ${reasons.join(' and ')}.`;
}
