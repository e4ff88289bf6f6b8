// @ts-check
import { callApi, pluralOf } from './api.js';
import { announce, byId, dateTime, element, find } from './dom.js';
import { onSubmit } from './forms.js';

/** @typedef {import('./settings-session.js').SettingsSession} SettingsSession */
/** @typedef {import('./settings-session.js').Settings} Settings */
/** @typedef {{ id: string, name: string, createdAt: string, lastUsedAt: string | null }} ScimToken */
/**
 * One SCIM request of the tenant's identity provider (GET …/scim/requests).
 * @typedef {{ at: string, method: string, path: string, status: number, outcome: 'success' | 'failure', scimType: string | null, detail: string | null }} ScimRequest
 */

const REQUEST_LIMIT = 20;

/**
 * The provisioning (SCIM) section: the base URL to give the identity provider, its tokens (create,
 * shown once; revoke; last use), and its latest requests with their outcome.
 * @param {SettingsSession} session
 * @param {(error: unknown) => Node | undefined} recoveryAction
 * @returns {(settings: Settings) => Promise<void>} renders the section for the latest settings
 */
export function setUpProvisioning(session, recoveryAction) {
  const path = `/api/v1/${pluralOf(session.tenant.type)}/${encodeURIComponent(session.tenant.id)}/scim`;

  const loadTokens = async () => {
    try {
      const tokens = /** @type {ScimToken[]} */ ((await callApi(session.credential, 'GET', `${path}/tokens`)).body);
      byId('scim-token-list', HTMLUListElement).replaceChildren(
        ...(tokens.length === 0 ? [element('li', { class: 'hint' }, 'No token yet.')] : tokens.map((token) => tokenItem(token))),
      );
    } catch (error) {
      byId('scim-token-list', HTMLUListElement).replaceChildren(
        element('li', { role: 'alert' }, `The tokens could not be loaded: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
  };

  /** @param {ScimToken} token */
  const tokenItem = (token) => {
    const status = element('p', { class: 'hint', role: 'status' }, 'Created ', dateTime(token.createdAt), '. ', token.lastUsedAt ? lastUse(token.lastUsedAt) : 'Not used yet.');
    const revoke = element('button', { type: 'button', class: 'secondary' }, 'Revoke');
    revoke.addEventListener('click', async () => {
      if (!window.confirm(`Revoke "${token.name}"? The identity provider using it stops provisioning at once.`)) return;
      try {
        await callApi(session.credential, 'DELETE', `${path}/tokens/${encodeURIComponent(token.id)}`);
        announce(`The token "${token.name}" was revoked.`);
        await loadTokens();
      } catch (error) {
        status.textContent = error instanceof Error ? error.message : String(error);
      }
    });
    return element(
      'li',
      { class: 'domain' },
      element('div', { class: 'domain-head' }, element('span', { class: 'domain-name' }, token.name)),
      status,
      element('div', { class: 'actions' }, revoke),
    );
  };

  const loadRequests = async () => {
    const error = byId('scim-requests-error', HTMLElement);
    const region = byId('scim-requests-region', HTMLElement);
    try {
      const requests = /** @type {ScimRequest[]} */ ((await callApi(session.credential, 'GET', `${path}/requests?limit=${REQUEST_LIMIT}`)).body);
      error.hidden = true;
      region.hidden = requests.length === 0;
      byId('scim-requests-empty', HTMLElement).hidden = requests.length > 0;
      find(byId('scim-requests-table', HTMLTableElement), 'tbody', HTMLTableSectionElement).replaceChildren(...requests.map(requestRow));
    } catch (failure) {
      error.textContent = `The SCIM requests could not be loaded: ${failure instanceof Error ? failure.message : String(failure)}`;
      error.hidden = false;
    }
  };

  const tokenForm = byId('scim-token-form', HTMLFormElement);
  onSubmit(
    tokenForm,
    async () => {
      const input = byId('scim-token-name', HTMLInputElement);
      const { body } = await callApi(session.credential, 'POST', `${path}/tokens`, { body: { name: input.value.trim() } });
      input.value = '';
      byId('scim-new-token-value', HTMLInputElement).value = body.token;
      byId('scim-base-url', HTMLInputElement).value = body.baseUrl;
      byId('scim-new-token', HTMLElement).hidden = false;
      announce('The token was created. Copy it now: it is shown only once.');
      await loadTokens();
    },
    recoveryAction,
  );
  byId('scim-requests-refresh', HTMLButtonElement).addEventListener('click', () => void loadRequests());

  return async (settings) => {
    byId('scim-base-url', HTMLInputElement).value = scimBaseUrl(settings, session);
    await Promise.all([loadTokens(), loadRequests()]);
  };
}

/**
 * `{PUBLIC_BASE_URL}/scim/v2/{type}/{id}`, from the SP URLs that PUBLIC_BASE_URL also builds
 * (`{PUBLIC_BASE_URL}/saml/{type}/{id}/acs`).
 * @param {Settings} settings
 * @param {SettingsSession} session
 */
function scimBaseUrl(settings, session) {
  const publicBase = settings.serviceProvider.acsUrl.replace(/\/saml\/[^/]+\/[^/]+\/acs$/, '');
  return `${publicBase}/scim/v2/${session.tenant.type}/${session.tenant.id}`;
}

/** @param {string} iso */
function lastUse(iso) {
  return element('span', {}, 'Last used ', dateTime(iso), '.');
}

/** @param {ScimRequest} request */
function requestRow(request) {
  return element(
    'tr',
    { class: request.outcome },
    element('td', {}, dateTime(request.at)),
    element('td', {}, element('span', { class: 'code' }, `${request.method} ${request.path}`)),
    element('td', {}, `${request.outcome === 'success' ? 'Success' : 'Failed'} (${request.status})`),
    element('td', {}, request.detail ?? '—', request.scimType ? element('span', { class: 'code' }, ` (${request.scimType})`) : null),
  );
}
