// @ts-check
import { ApiError, callApi, pluralOf } from './api.js';
import { loadAuditLog, loadLoginAttempts, setUpActivity } from './admin-activity.js';
import { setUpDomains } from './admin-domains.js';
import { organizationsAddress, partnerNameFor, renderBreadcrumb, showPartnerHome } from './admin-partner.js';
import { renderIdentityProvider, setUpIdentityProvider } from './admin-identity-provider.js';
import { setUpProvisioning } from './admin-provisioning.js';
import { setUpSetupLinks } from './admin-setup-links.js';
import { discardUnsavedEdits, setUpOptionForms } from './admin-options.js';
import { renderServiceProvider, setUpCopyButtons } from './admin-service-provider.js';
import { renderTestSignIn, setUpTestSignIn } from './admin-test-sign-in.js';
import { turnsSsoOn } from './admin-turn-on.js';
import { announce, byId, element, find } from './dom.js';
import { FieldError, FieldErrors, onSubmit } from './forms.js';
import { actionButton, showFatal } from './page-failure.js';
import { currentUser, endSsoSession, forgetSignIn, rememberSignIn, storedSignIn, tenantAddress, tenantFromAddress } from './page-sign-in.js';
import { SettingsSession } from './settings-session.js';

/** @typedef {import('./api.js').Credential} Credential */
/** @typedef {import('./api.js').TenantKind} TenantKind */
/** @typedef {import('./settings-session.js').Tenant} Tenant */
/** @typedef {import('./settings-session.js').Settings} Settings */
/** @typedef {import('./page-sign-in.js').Me} Me */

/**
 * Set when an administrator signs out of an API-key session. A test sign-in leaves an SSO session
 * (the `sso_session` cookie) in this browser, which the next load would otherwise open silently.
 */
const SIGNED_OUT = 'sso-settings.signed-out';
const PORTAL_NAMES = { organization: 'Organizational Settings', partner: 'Partner Settings' };
const STATUS_WORDS = {
  awaiting_idp: ['Waiting for the identity provider', 'Single sign-on is on; add your identity provider below to let users sign in.'],
  active: ['Active', 'Users sign in through your identity provider.'],
  disabled: ['Off', 'Nobody can sign in through the identity provider. The configuration is kept for when you turn it back on.'],
};

/** @type {{ credential: Credential | null, session: SettingsSession | null, me: Me | null }} */
const state = { credential: null, session: null, me: null };

start().catch(showFatal);

async function start() {
  setUpSignInForm();
  setUpCopyButtons();
  byId('sign-out', HTMLButtonElement).addEventListener('click', () => void signOut().catch(showFatal));

  const stored = storedSignIn();
  if (stored) {
    await openAddressedTenant({ type: 'apiKey', key: stored.apiKey }, { type: stored.kind, id: stored.id });
    return;
  }
  const me = await currentUser();
  const justSignedOut = sessionStorage.getItem(SIGNED_OUT) !== null;
  sessionStorage.removeItem(SIGNED_OUT);
  if (me?.user.role === 'admin' && justSignedOut) {
    const continueAsUser = actionButton(`Continue as ${me.user.email}`, async () => {
      state.me = me;
      await openAddressedTenant({ type: 'session' }, me.tenant);
    });
    showSignIn(`You are signed out. This browser is still signed in with single sign-on as ${me.user.email}, for example from a test sign-in.`, continueAsUser);
    return;
  }
  if (me?.user.role === 'admin') {
    state.me = me;
    await openAddressedTenant({ type: 'session' }, me.tenant);
    return;
  }
  showSignIn(me ? `You are signed in as ${me.user.email} with the role ${me.user.role}; only administrators can manage single sign-on.` : null);
}

/**
 * The tenant the address names (the credential stays signed in from one tenant to the next), else
 * the one signed in to.
 * @param {Credential} credential
 * @param {Tenant} signedInTo
 */
async function openAddressedTenant(credential, signedInTo) {
  const addressed = tenantFromAddress();
  await openTenant(credential, addressed ?? signedInTo, { addressed: addressed !== null && !sameTenant(addressed, signedInTo) });
}

/** @param {Tenant} a @param {Tenant} b */
function sameTenant(a, b) {
  return a.type === b.type && a.id.toLowerCase() === b.id.toLowerCase();
}

/**
 * A partner's home is its list of organizations; its own settings are `?kind=partner&id=…`
 * without `view=organizations`.
 * @param {Tenant} tenant
 */
function opensOrganizations(tenant) {
  if (tenant.type !== 'partner') return false;
  const addressed = tenantFromAddress();
  return !addressed || !sameTenant(addressed, tenant) || new URLSearchParams(window.location.search).get('view') === 'organizations';
}

function setUpSignInForm() {
  const form = byId('sign-in-form', HTMLFormElement);
  const fromAddress = tenantFromAddress();
  if (fromAddress) {
    find(form, `input[name="tenantKind"][value="${fromAddress.type}"]`, HTMLInputElement).checked = true;
    byId('tenant-id', HTMLInputElement).value = fromAddress.id;
  }
  onSubmit(form, async () => {
    const kind = /** @type {TenantKind} */ (new FormData(form).get('tenantKind'));
    const id = byId('tenant-id', HTMLInputElement).value.trim();
    const apiKey = byId('api-key', HTMLInputElement).value.trim();
    /** @type {import('./forms.js').FieldProblem[]} */
    const missing = [];
    if (!id) missing.push({ field: 'tenantId', message: `Enter the ID of the ${kind}.` });
    if (!apiKey) missing.push({ field: 'apiKey', message: 'Enter an API key.' });
    const [first, ...others] = missing;
    if (first) throw new FieldErrors([first, ...others]);
    await openTenant({ type: 'apiKey', key: apiKey }, { type: kind, id }, { fromSignInForm: true });
    form.reset();
  });
}

/**
 * Checks the credential against the tenant, then shows that tenant's settings, or a partner's
 * organizations.
 * @param {Credential} credential
 * @param {Tenant} tenant
 * @param {{ fromSignInForm?: boolean, addressed?: boolean }} [how] fromSignInForm: explain a refusal
 *   at the form's fields; addressed: the address named another tenant than the one signed in to,
 *   so a refusal leaves the sign-in as it is
 */
async function openTenant(credential, tenant, { fromSignInForm = false, addressed = false } = {}) {
  let found;
  try {
    found = (await callApi(credential, 'GET', `/api/v1/${pluralOf(tenant.type)}/${encodeURIComponent(tenant.id)}`)).body;
  } catch (error) {
    if (!(error instanceof ApiError) || ![401, 403, 404].includes(error.status)) throw error;
    const refusal = refusalOf(error, tenant.type, credential);
    if (fromSignInForm) throw refusal;
    if (addressed && error.status !== 401) {
      showRefusal(credential, refusal.message);
      return;
    }
    forgetSignIn();
    showSignIn(refusal.message);
    return;
  }
  if (credential.type === 'apiKey' && fromSignInForm) {
    rememberSignIn(tenant, credential.key);
  }
  state.credential = credential;
  showSessionBar(credential);
  if (opensOrganizations(tenant)) {
    await showPartnerHome(credential, { id: found.id, name: found.name });
    return;
  }
  const partnerName = tenant.type === 'partner' ? found.name : found.partnerId ? await partnerNameFor(credential, found.partnerId) : null;
  const crumbs = partnerName === null ? null : [{ label: partnerName, href: organizationsAddress(tenant.type === 'partner' ? tenant.id : found.partnerId) }];
  await openSettings(credential, tenant, found.name, crumbs);
}

/**
 * @param {Credential} credential
 * @param {Tenant} tenant
 * @param {string} name
 * @param {{ label: string, href: string }[] | null} partnerCrumbs the way back to the partner's organizations, when the credential may go there
 */
async function openSettings(credential, tenant, name, partnerCrumbs) {
  const session = new SettingsSession(credential, tenant);
  await session.load();
  state.session = session;
  setUpSettingsPage(session, name, partnerCrumbs);
  session.notifyListeners();
  byId('settings-title', HTMLElement).focus();
  await loadLoginAttempts(session);
}

/**
 * @param {ApiError} error
 * @param {TenantKind} kind
 * @param {Credential} credential
 */
function refusalOf(error, kind, credential) {
  const byKey = credential.type === 'apiKey';
  if (error.status === 401) {
    return new FieldError('apiKey', byKey ? 'This API key is not valid, or it was revoked.' : 'Your session has ended; sign in again.');
  }
  if (error.status === 403) return new FieldError('apiKey', `${byKey ? 'This API key' : 'Your account'} may not manage that ${kind}.`);
  return new FieldError('tenantId', `There is no ${kind} with this ID.`);
}

/**
 * @param {SettingsSession} session
 * @param {string} tenantName
 * @param {{ label: string, href: string }[] | null} partnerCrumbs
 */
function setUpSettingsPage(session, tenantName, partnerCrumbs) {
  const { type, id } = session.tenant;
  const breadcrumb = byId('breadcrumb', HTMLElement);
  if (partnerCrumbs) renderBreadcrumb(breadcrumb, [...partnerCrumbs, { label: type === 'partner' ? 'Single sign-on' : tenantName }]);
  else breadcrumb.textContent = `${PORTAL_NAMES[type]} › SSO`;
  byId('settings-title', HTMLElement).textContent = `Single sign-on for ${tenantName}`;
  byId('tenant-line', HTMLElement).textContent = `${type === 'organization' ? 'Organization' : 'Partner'} ID: ${id}`;
  byId('guide-link', HTMLAnchorElement).href = tenantAddress('/admin/guide', session.tenant);

  /** @param {unknown} error */
  const recoveryAction = (error) => {
    if (!(error instanceof ApiError)) return undefined;
    if (error.status === 412) {
      return actionButton('Load the latest settings', async () => {
        discardUnsavedEdits();
        await session.load();
        announce('The latest settings are loaded.');
      });
    }
    if (error.status === 401) return actionButton('Sign in again', signOut);
    return undefined;
  };

  const refillOptionForms = setUpOptionForms(session, recoveryAction);
  setUpIdentityProvider(session, recoveryAction);
  setUpTestSignIn(session);
  setUpActivity(session);
  setUpLifecycleForms(session, recoveryAction);
  const renderDomains = setUpDomains(session, recoveryAction);
  const renderProvisioning = setUpProvisioning(session, recoveryAction);
  const loadSetupLinks = setUpSetupLinks(session, recoveryAction);

  let firstRender = true;
  session.onChange((settings) => {
    byId('loading', HTMLElement).hidden = true;
    byId('sign-in', HTMLElement).hidden = true;
    byId('settings', HTMLElement).hidden = false;
    byId('sso-off', HTMLElement).hidden = settings !== null;
    byId('configuration', HTMLElement).hidden = settings === null;
    if (settings) {
      renderStatus(settings);
      renderWarnings(settings);
      void renderDomains(settings);
      void renderProvisioning(settings);
      if (firstRender) void loadSetupLinks();
      renderServiceProvider(settings);
      renderIdentityProvider(session, recoveryAction, firstRender);
      refillOptionForms(settings);
      renderTestSignIn(settings);
      firstRender = false;
    }
    void loadAuditLog(session);
  });
}

/**
 * Turning on (the first time: creating the SP identity), off, and removing.
 * @param {SettingsSession} session
 * @param {(error: unknown) => Node | undefined} recoveryAction
 */
function setUpLifecycleForms(session, recoveryAction) {
  turnsSsoOn(byId('enable-form', HTMLFormElement), session, recoveryAction, { announcement: 'Single sign-on is on.', focus: 'sp-title' });
  onSubmit(
    byId('toggle-form', HTMLFormElement),
    async () => {
      const turningOn = !session.settings?.enabled;
      const off = 'Turn single sign-on off? Nobody can sign in through your identity provider until it is on again; the configuration is kept.';
      if (!turningOn && !window.confirm(off)) return;
      await session.change('POST', turningOn ? '/enable' : '/disable');
      announce(turningOn ? 'Single sign-on is on.' : 'Single sign-on is off.');
    },
    recoveryAction,
  );
  onSubmit(
    byId('remove-form', HTMLFormElement),
    async () => {
      if (!window.confirm('Remove the single sign-on configuration and the service provider keys? This cannot be undone.')) return;
      await session.remove();
      discardUnsavedEdits();
      announce('The single sign-on configuration was removed.');
      byId('sso-off-title', HTMLElement).focus();
    },
    recoveryAction,
  );
}

/** Settings the service accepts but that are likely wrong, each in a sentence. @param {Settings} settings */
function renderWarnings(settings) {
  byId('warnings', HTMLElement).hidden = settings.warnings.length === 0;
  byId('warning-list', HTMLUListElement).replaceChildren(...settings.warnings.map((warning) => element('li', { 'data-code': warning.code }, warning.message)));
}

/** @param {Settings} settings */
function renderStatus(settings) {
  const [label, explanation] = STATUS_WORDS[settings.status];
  const badge = byId('status-badge', HTMLElement);
  badge.textContent = label;
  badge.dataset.status = settings.status;
  byId('status-text', HTMLElement).textContent = explanation;
  byId('toggle-button', HTMLButtonElement).textContent = settings.enabled ? 'Turn single sign-on off' : 'Turn single sign-on on';
}

/** @param {Credential} credential */
function showSessionBar(credential) {
  byId('session-label', HTMLElement).textContent =
    credential.type === 'apiKey' ? 'Signed in with an API key' : `Signed in as ${state.me?.user.email ?? 'an administrator'}`;
  byId('session-bar', HTMLElement).hidden = false;
}

/**
 * The address names a tenant this credential may not manage: say so, and keep the sign-in for the
 * tenants it may.
 * @param {Credential} credential
 * @param {string} message
 */
function showRefusal(credential, message) {
  state.credential = credential;
  showSessionBar(credential);
  byId('loading', HTMLElement).hidden = true;
  byId('tenant-refused-text', HTMLElement).textContent = message;
  byId('tenant-refused-home', HTMLAnchorElement).href = window.location.pathname;
  byId('tenant-refused', HTMLElement).hidden = false;
  byId('tenant-refused-title', HTMLElement).focus();
}

/**
 * @param {string | null} note
 * @param {Node} [action] offered with the note
 */
function showSignIn(note, action) {
  byId('loading', HTMLElement).hidden = true;
  byId('settings', HTMLElement).hidden = true;
  byId('partner-home', HTMLElement).hidden = true;
  byId('tenant-refused', HTMLElement).hidden = true;
  byId('session-bar', HTMLElement).hidden = true;
  byId('sign-in', HTMLElement).hidden = false;
  const noteElement = byId('sign-in-note', HTMLElement);
  noteElement.textContent = note ?? '';
  if (action) noteElement.append(' ', action);
  noteElement.hidden = !note;
  byId('sign-in-title', HTMLElement).focus();
}

async function signOut() {
  forgetSignIn();
  if (state.credential?.type === 'apiKey') sessionStorage.setItem(SIGNED_OUT, 'true');
  if (state.credential?.type === 'session' && (await endSsoSession())) return;
  // A fresh page: nothing of the previous tenant's settings or listeners stays behind.
  window.location.assign(window.location.pathname);
}
