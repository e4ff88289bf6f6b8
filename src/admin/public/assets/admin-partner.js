// @ts-check
import { ApiError, callApi } from './api.js';
import { byId, dateTime, element } from './dom.js';

/** @typedef {import('./api.js').Credential} Credential */
/** @typedef {import('./settings-session.js').Tenant} Tenant */
/** @typedef {{ label: string, href?: string }} Crumb */

/**
 * One organization of `GET /api/v1/partners/{id}/organizations/sso-overview`.
 * @typedef {{
 *   id: string,
 *   name: string,
 *   sso: {
 *     status: 'off' | 'awaiting_idp' | 'active' | 'disabled',
 *     enforced: boolean,
 *     lastSuccessfulSignInAt: string | null,
 *     certificatesExpiringSoon: number,
 *     failedSignInsLastDay: number,
 *   },
 * }} OrganizationOverview
 */

const PAGE_SIZE = 24;
const SEARCH_PAUSE_MS = 300;
const STATUS_WORDS = { off: 'Off', awaiting_idp: 'Waiting for the IdP', active: 'Active', disabled: 'Turned off' };
const numbers = new Intl.NumberFormat();

/** @param {Tenant} tenant */
export function settingsAddress(tenant) {
  return `/admin?${new URLSearchParams({ kind: tenant.type, id: tenant.id })}`;
}

/**
 * The partner's list of organizations; the search and page are part of it, so that Back from an
 * organization returns to the same list.
 * @param {string} partnerId
 * @param {{ search?: string, offset?: number }} [list]
 */
export function organizationsAddress(partnerId, { search = '', offset = 0 } = {}) {
  const parameters = new URLSearchParams({ kind: 'partner', id: partnerId, view: 'organizations' });
  if (search) parameters.set('search', search);
  if (offset > 0) parameters.set('offset', String(offset));
  return `/admin?${parameters}`;
}

/** @param {string} organizationId */
function guideAddress(organizationId) {
  return `/admin/guide?${new URLSearchParams({ kind: 'organization', id: organizationId })}`;
}

/**
 * Where one is: every crumb but the last is a link, the last is the current page. The separators
 * are hidden from screen readers, which announce the links and the current page instead.
 * @param {HTMLElement} container
 * @param {Crumb[]} crumbs
 */
export function renderBreadcrumb(container, crumbs) {
  const parts = crumbs.flatMap((crumb, index) => {
    const current = index === crumbs.length - 1;
    const content = current ? element('span', { 'aria-current': 'page' }, crumb.label) : element('a', { href: crumb.href }, crumb.label);
    return index === 0 ? [content] : [element('span', { 'aria-hidden': 'true' }, ' › '), content];
  });
  container.replaceChildren(...parts);
}

/**
 * The partner's name when the credential may manage that partner, else null (an organization's own
 * key sees its organization only).
 * @param {Credential} credential
 * @param {string} partnerId
 * @returns {Promise<string | null>}
 */
export async function partnerNameFor(credential, partnerId) {
  try {
    return (await callApi(credential, 'GET', `/api/v1/partners/${encodeURIComponent(partnerId)}`)).body.name;
  } catch (error) {
    if (error instanceof ApiError && [403, 404].includes(error.status)) return null;
    throw error;
  }
}

/**
 * The partner's home: its organizations a page at a time, searched on the server, each with its
 * single sign-on at a glance and one click to its settings (the partner's credential manages them).
 * @param {Credential} credential
 * @param {{ id: string, name: string }} partner
 */
export async function showPartnerHome(credential, partner) {
  const address = new URLSearchParams(window.location.search);
  let search = (address.get('search') ?? '').trim();
  let offset = Math.max(0, Number.parseInt(address.get('offset') ?? '0', 10) || 0);
  let latestRequest = 0;

  renderBreadcrumb(byId('partner-breadcrumb', HTMLElement), [{ label: partner.name }]);
  byId('partner-title', HTMLElement).textContent = `Organizations of ${partner.name}`;
  byId('partner-line', HTMLElement).textContent = `Partner ID: ${partner.id}`;
  byId('partner-own-settings', HTMLAnchorElement).href = settingsAddress({ type: 'partner', id: partner.id });
  byId('partner-own-settings', HTMLAnchorElement).textContent = `Single sign-on of ${partner.name} itself`;
  const searchField = byId('organization-search', HTMLInputElement);
  searchField.value = search;

  /** @param {{ focusList?: boolean }} [options] */
  const load = async ({ focusList = false } = {}) => {
    const request = ++latestRequest;
    const errorElement = byId('organizations-error', HTMLElement);
    const query = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(offset) });
    if (search) query.set('search', search);
    byId('organization-list', HTMLElement).setAttribute('aria-busy', 'true');
    try {
      const { body } = await callApi(credential, 'GET', `/api/v1/partners/${encodeURIComponent(partner.id)}/organizations/sso-overview?${query}`);
      // A slower answer to an earlier search must not replace the answer to the latest one.
      if (request !== latestRequest) return;
      errorElement.hidden = true;
      renderOrganizations(/** @type {OrganizationOverview[]} */ (body.items), body.total, { search, offset });
      history.replaceState(null, '', organizationsAddress(partner.id, { search, offset }));
      if (focusList) byId('organizations-title', HTMLElement).focus();
    } catch (error) {
      if (request !== latestRequest) return;
      if (!(error instanceof ApiError)) throw error;
      errorElement.textContent = error.status === 401 ? 'Your sign-in is not valid any more. Sign out and sign in again.' : error.message;
      errorElement.hidden = false;
    } finally {
      if (request === latestRequest) byId('organization-list', HTMLElement).removeAttribute('aria-busy');
    }
  };

  const searchFor = (/** @type {string} */ text) => {
    if (text.trim() === search) return;
    search = text.trim();
    offset = 0;
    void load();
  };
  let pause = 0;
  searchField.addEventListener('input', () => {
    window.clearTimeout(pause);
    pause = window.setTimeout(() => searchFor(searchField.value), SEARCH_PAUSE_MS);
  });
  byId('organization-search-form', HTMLFormElement).addEventListener('submit', (event) => {
    event.preventDefault();
    window.clearTimeout(pause);
    searchFor(searchField.value);
  });
  byId('organizations-previous', HTMLButtonElement).addEventListener('click', () => {
    offset = Math.max(0, offset - PAGE_SIZE);
    void load({ focusList: true });
  });
  byId('organizations-next', HTMLButtonElement).addEventListener('click', () => {
    offset += PAGE_SIZE;
    void load({ focusList: true });
  });

  byId('loading', HTMLElement).hidden = true;
  byId('sign-in', HTMLElement).hidden = true;
  byId('partner-home', HTMLElement).hidden = false;
  await load();
  byId('partner-title', HTMLElement).focus();
}

/**
 * @param {OrganizationOverview[]} organizations
 * @param {number} total
 * @param {{ search: string, offset: number }} list
 */
function renderOrganizations(organizations, total, { search, offset }) {
  byId('organization-list', HTMLElement).replaceChildren(...organizations.map(organizationCard));
  byId('organizations-summary', HTMLElement).textContent = summaryOf(organizations.length, total, { search, offset });
  byId('organization-pages', HTMLElement).hidden = total <= PAGE_SIZE && offset === 0;
  byId('organizations-previous', HTMLButtonElement).disabled = offset === 0;
  byId('organizations-next', HTMLButtonElement).disabled = offset + organizations.length >= total;
}

/**
 * Said by the live region after every search and page, so a screen reader hears what changed.
 * @param {number} shown
 * @param {number} total
 * @param {{ search: string, offset: number }} list
 */
function summaryOf(shown, total, { search, offset }) {
  const matching = search ? ` matching “${search}”` : '';
  if (total === 0) return search ? `No organization matches “${search}”.` : 'This partner has no organizations yet.';
  if (shown === 0) return `No more organizations${matching}: there are ${numbers.format(total)}.`;
  const noun = total === 1 ? 'organization' : 'organizations';
  if (shown === total) return `${numbers.format(total)} ${noun}${matching}.`;
  return `Organizations ${numbers.format(offset + 1)}–${numbers.format(offset + shown)} of ${numbers.format(total)}${matching}.`;
}

/** @param {OrganizationOverview} organization */
function organizationCard(organization) {
  const { sso } = organization;
  const needsSetUp = sso.status !== 'active';
  const failures = sso.failedSignInsLastDay;
  return element(
    'li',
    { class: 'organization', 'data-status': sso.status },
    element('h3', {}, element('a', { href: settingsAddress({ type: 'organization', id: organization.id }) }, organization.name)),
    element(
      'p',
      { class: 'organization-status' },
      element('span', { class: 'badge', 'data-status': sso.status }, STATUS_WORDS[sso.status]),
      sso.enforced && ' ',
      sso.enforced && element('span', { class: 'badge', 'data-status': 'enforced' }, 'Enforced'),
    ),
    element(
      'dl',
      { class: 'details' },
      element('dt', {}, 'Last successful sign-in'),
      element('dd', {}, sso.lastSuccessfulSignInAt ? dateTime(sso.lastSuccessfulSignInAt) : 'None yet'),
      element('dt', {}, 'Failed sign-ins, last 24 hours'),
      element('dd', { class: failures > 0 ? 'attention' : undefined }, numbers.format(failures)),
    ),
    sso.certificatesExpiringSoon > 0 &&
      element(
        'p',
        { class: 'warning' },
        sso.certificatesExpiringSoon === 1
          ? 'An identity provider certificate expires within 30 days.'
          : `${sso.certificatesExpiringSoon} identity provider certificates expire within 30 days.`,
      ),
    needsSetUp &&
      element(
        'p',
        { class: 'organization-actions' },
        element('a', { href: guideAddress(organization.id), 'aria-label': `Set up single sign-on for ${organization.name}, step by step` }, 'Set up single sign-on, step by step'),
      ),
  );
}
