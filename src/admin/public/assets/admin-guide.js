// @ts-check
import { ApiError, callApi, pluralOf } from './api.js';
import { setUpDomains } from './admin-domains.js';
import { setUpEnforcementForm } from './admin-options.js';
import { renderIdentityProvider, setUpIdentityProvider } from './admin-identity-provider.js';
import { renderTestSignIn, setUpTestSignIn } from './admin-test-sign-in.js';
import { turnsSsoOn } from './admin-turn-on.js';
import { announce, byId, copiesField, dateTime, element, find } from './dom.js';
import { FieldError, onSubmit } from './forms.js';
import { guideFor, IDP_GUIDES } from './idp-guides.js';
import { actionButton, showFatal } from './page-failure.js';
import {
  currentUser,
  endSsoSession,
  forgetSetupLink,
  forgetSignIn,
  rememberSetupLink,
  storedSetupLink,
  storedSignIn,
  tenantAddress,
  tenantFromAddress,
} from './page-sign-in.js';
import { RoleRows } from './role-rows.js';
import { SettingsSession } from './settings-session.js';

/** @typedef {import('./api.js').Credential} Credential */
/** @typedef {import('./page-sign-in.js').Tenant} Tenant */
/** @typedef {import('./page-sign-in.js').Me} Me */
/** @typedef {import('./settings-session.js').Settings} Settings */
/** @typedef {import('./idp-guides.js').IdpGuide} IdpGuide */
/** @typedef {'idp' | 'app' | 'metadata' | 'test' | 'roles' | 'domains' | 'done'} StepId */
/** @typedef {{ idp: string | null, rolesReviewed: boolean }} Progress */
/**
 * How the visitor came: signed in (API key or SSO session, as on /admin), or through a setup link,
 * which opens this one tenant only.
 * @typedef {{ kind: 'signed-in', me: Me | null } | { kind: 'setup-link', expiresAt: string }} Visit
 */

/** @type {{ id: StepId, label: string, heading: string }[]} */
const STEPS = [
  { id: 'idp', label: 'Identity provider', heading: 'step-idp-title' },
  { id: 'app', label: 'Create the app', heading: 'step-app-title' },
  { id: 'metadata', label: 'Metadata', heading: 'idp-title' },
  { id: 'test', label: 'Test sign-in', heading: 'step-test-title' },
  { id: 'roles', label: 'Roles', heading: 'step-roles-title' },
  { id: 'domains', label: 'Domains', heading: 'step-domains-title' },
  { id: 'done', label: 'Done', heading: 'step-done-title' },
];
const PORTAL_NAMES = { organization: 'Organizational Settings', partner: 'Partner Settings' };
const VALUE_LABELS = { acsUrl: 'ACS URL', entityId: 'Entity ID', metadataUrl: 'metadata URL' };
const ATTRIBUTE_KEYS = /** @type {const} */ (['email', 'firstName', 'lastName', 'groups']);
const SETUP_PATH = '/setup';
const PROGRESS_KEY_PREFIX = 'sso-guide.';

/**
 * @type {{
 *   session: SettingsSession | null, visit: Visit | null, step: StepId, progress: Progress,
 *   hasVerifiedDomain: boolean, certificateUrl: string | null,
 *   renderDomains: ((settings: Settings) => Promise<void>) | null, recoveryAction: (error: unknown) => Node | undefined,
 *   roleRows: RoleRows | null,
 * }}
 */
const state = {
  session: null,
  visit: null,
  step: 'idp',
  progress: { idp: null, rolesReviewed: false },
  hasVerifiedDomain: false,
  certificateUrl: null,
  renderDomains: null,
  recoveryAction: () => undefined,
  roleRows: null,
};
let fieldCount = 0;

start().catch(showFatal);

async function start() {
  if (window.location.pathname.startsWith(`${SETUP_PATH}/`)) {
    await openSetupLink(decodeURIComponent(window.location.pathname.slice(SETUP_PATH.length + 1)));
    return;
  }
  if (window.location.pathname === SETUP_PATH) {
    const link = storedSetupLink();
    if (!link || Date.parse(link.expiresAt) <= Date.now()) {
      showLinkEnded();
      return;
    }
    await openGuide({ type: 'setupLink', key: link.accessToken }, link.tenant, { kind: 'setup-link', expiresAt: link.expiresAt });
    return;
  }
  const fromAddress = tenantFromAddress();
  const stored = storedSignIn();
  if (stored) {
    await openGuide({ type: 'apiKey', key: stored.apiKey }, fromAddress ?? { type: stored.kind, id: stored.id }, { kind: 'signed-in', me: null });
    return;
  }
  const me = await currentUser();
  if (me?.user.role === 'admin') {
    await openGuide({ type: 'session' }, fromAddress ?? me.tenant, { kind: 'signed-in', me });
    return;
  }
  showSignedOut(me ? `You are signed in as ${me.user.email} with the role ${me.user.role}; only administrators can set up single sign-on.` : null);
}

/**
 * Exchanges the link's token for an access token, then takes the token out of the address and the
 * history: the tab keeps the access token, and a reload opens `/setup` with it.
 * @param {string} token
 */
async function openSetupLink(token) {
  let answer;
  try {
    answer = (await callApi(null, 'POST', '/api/v1/setup-links/exchange', { body: { token } })).body;
  } catch (error) {
    if (!(error instanceof ApiError && [400, 401, 404].includes(error.status))) throw error;
    forgetSetupLink();
    window.history.replaceState(null, '', SETUP_PATH);
    showLinkEnded();
    return;
  }
  const link = { tenant: answer.tenant, accessToken: answer.accessToken, expiresAt: answer.expiresAt };
  rememberSetupLink(link);
  window.history.replaceState(null, '', SETUP_PATH);
  await openGuide({ type: 'setupLink', key: link.accessToken }, link.tenant, { kind: 'setup-link', expiresAt: link.expiresAt });
}

/**
 * @param {Credential} credential
 * @param {Tenant} tenant
 * @param {Visit} visit
 */
async function openGuide(credential, tenant, visit) {
  /** A setup link may not read the tenant itself; its settings are what it may open. */
  let tenantName = null;
  if (visit.kind === 'signed-in') {
    try {
      tenantName = (await callApi(credential, 'GET', `/api/v1/${pluralOf(tenant.type)}/${encodeURIComponent(tenant.id)}`)).body.name;
    } catch (error) {
      if (!(error instanceof ApiError) || ![401, 403, 404].includes(error.status)) throw error;
      if (error.status === 401) forgetSignIn();
      showSignedOut(refusalOf(error, tenant), tenant);
      return;
    }
  }
  const session = new SettingsSession(credential, tenant);
  try {
    await session.load();
  } catch (error) {
    if (visit.kind === 'setup-link' && error instanceof ApiError && error.status === 401) {
      forgetSetupLink();
      showLinkEnded();
      return;
    }
    throw error;
  }
  state.session = session;
  state.visit = visit;
  state.progress = loadProgress(tenant);
  setUpPage(session, visit, tenantName);
  await refreshDomainState(session);
  state.step = firstOpenStep(session.settings);
  render(session.settings);
  byId('loading', HTMLElement).hidden = true;
  byId('guide', HTMLElement).hidden = false;
  session.onChange((settings) => {
    render(settings);
    void refreshDomainState(session).then(() => renderStepper(settings));
  });
}

/**
 * @param {ApiError} error
 * @param {Tenant} tenant
 */
function refusalOf(error, tenant) {
  if (error.status === 401) return 'Your sign-in is not valid any more. Sign in again.';
  if (error.status === 403) return `You may not manage that ${tenant.type} with the credential you signed in with.`;
  return `There is no ${tenant.type} with this ID.`;
}

/**
 * @param {SettingsSession} session
 * @param {Visit} visit
 * @param {string | null} tenantName
 */
function setUpPage(session, visit, tenantName) {
  const { type, id } = session.tenant;
  const byLink = visit.kind === 'setup-link';
  byId('breadcrumb', HTMLElement).textContent = byLink ? 'Setup link › Single sign-on' : `${PORTAL_NAMES[type]} › SSO › Guided set-up`;
  byId('guide-title', HTMLElement).textContent = tenantName ? `Set up single sign-on for ${tenantName}` : 'Set up single sign-on';
  byId('tenant-line', HTMLElement).textContent = `${type === 'organization' ? 'Organization' : 'Partner'} ID: ${id}`;
  byId('settings-link-line', HTMLElement).hidden = byLink;
  byId('settings-link', HTMLAnchorElement).href = tenantAddress('/admin', session.tenant);
  const label = byId('session-label', HTMLElement);
  if (visit.kind === 'setup-link') {
    label.replaceChildren('Opened with a setup link; this session lasts until ', dateTime(visit.expiresAt));
  } else {
    label.textContent = visit.me ? `Signed in as ${visit.me.user.email}` : 'Signed in with an API key';
  }
  byId('sign-out', HTMLButtonElement).hidden = byLink;
  byId('sign-out', HTMLButtonElement).addEventListener('click', () => void signOut(session).catch(showFatal));
  byId('session-bar', HTMLElement).hidden = false;

  /** @param {unknown} error */
  const recoveryAction = (error) => {
    if (!(error instanceof ApiError)) return undefined;
    if (error.status === 401 && byLink) {
      forgetSetupLink();
      showLinkEnded();
      return undefined;
    }
    if (error.status === 401) return actionButton('Sign in again', () => signOut(session));
    if (error.status === 412) {
      return actionButton('Load the latest settings', async () => {
        await session.load();
        announce('The latest settings are loaded.');
      });
    }
    return undefined;
  };

  setUpStepper();
  setUpIdpChoice(session);
  turnsSsoOn(byId('enable-form', HTMLFormElement), session, recoveryAction, {
    announcement: 'Single sign-on is on. The values for your identity provider are below.',
    focus: 'step-app-title',
  });
  turnsSsoOn(byId('toggle-form', HTMLFormElement), session, recoveryAction, { announcement: 'Single sign-on is on.' });
  setUpIdentityProvider(session, recoveryAction);
  setUpTestSignIn(session, () => session.load());
  state.roleRows = setUpRoles(session, recoveryAction);
  const renderDomains = setUpDomains(session, recoveryAction);
  setUpEnforcement(session, recoveryAction);
  document.querySelectorAll('button[data-next]').forEach((button) => {
    if (!(button instanceof HTMLButtonElement)) return;
    button.addEventListener('click', () => goTo(/** @type {StepId} */ (button.dataset.next)));
  });
  state.renderDomains = renderDomains;
  state.recoveryAction = recoveryAction;
}

/** The step to open: the first not done yet, so that a reload (or a later visit) resumes where the set-up stands. @param {Settings | null} settings */
function firstOpenStep(settings) {
  return STEPS.find((step) => step.id !== 'done' && !isDone(step.id, settings))?.id ?? 'done';
}

/**
 * Whether a step is done, from the server's state (and, for the choice of IdP and the roles, which
 * leave no trace there, from what this browser remembers for the tenant).
 * @param {StepId} step
 * @param {Settings | null} settings
 * @returns {boolean}
 */
function isDone(step, settings) {
  switch (step) {
    case 'idp':
      return guideFor(state.progress.idp) !== null;
    case 'app':
    case 'metadata':
      return Boolean(settings?.identityProvider);
    case 'test':
      return Boolean(settings?.lastSuccessfulSignInAt);
    case 'roles':
      return (settings?.roleMapping.length ?? 0) > 0 || state.progress.rolesReviewed;
    case 'domains':
      return state.hasVerifiedDomain;
    case 'done':
      return STEPS.every((other) => other.id === 'done' || isDone(other.id, settings));
  }
}

/** @param {StepId} step */
function goTo(step) {
  state.step = step;
  render(state.session?.settings ?? null);
  const heading = STEPS.find((candidate) => candidate.id === step)?.heading ?? 'step-idp-title';
  byId(heading, HTMLElement).focus();
  window.scrollTo({ top: 0 });
}

/** @param {Settings | null} settings */
function render(settings) {
  for (const step of STEPS) byId(`step-${step.id}`, HTMLElement).hidden = step.id !== state.step;
  renderStepper(settings);
  const guide = guideFor(state.progress.idp) ?? IDP_GUIDES[IDP_GUIDES.length - 1];
  renderIdpChoice();
  renderApp(settings, guide);
  renderMetadata(settings, guide);
  renderTest(settings);
  renderRoles(settings, guide);
  if (settings && state.step === 'domains') void state.renderDomains?.(settings);
  renderDone(settings, guide);
}

function setUpStepper() {
  byId('stepper', HTMLOListElement).replaceChildren(
    ...STEPS.map((step, index) => {
      const button = element(
        'button',
        { type: 'button', class: 'step-button', 'data-step': step.id },
        element('span', { class: 'step-number', 'aria-hidden': 'true' }, String(index + 1)),
        element('span', { class: 'step-label' }, step.label),
        element('span', { class: 'visually-hidden step-state' }),
      );
      button.addEventListener('click', () => goTo(step.id));
      return element('li', {}, button);
    }),
  );
}

/** @param {Settings | null} settings */
function renderStepper(settings) {
  byId('stepper', HTMLOListElement).querySelectorAll('button[data-step]').forEach((button) => {
    const step = /** @type {StepId} */ (/** @type {HTMLElement} */ (button).dataset.step);
    const done = step !== 'done' && isDone(step, settings);
    button.classList.toggle('done', done);
    if (step === state.step) button.setAttribute('aria-current', 'step');
    else button.removeAttribute('aria-current');
    find(button, '.step-state', HTMLElement).textContent = done ? ' (done)' : '';
  });
}

/** @param {SettingsSession} session */
function setUpIdpChoice(session) {
  byId('idp-choices', HTMLElement).replaceChildren(
    ...IDP_GUIDES.map((guide) =>
      element('label', { class: 'choice idp-choice' }, element('input', { type: 'radio', name: 'idp', value: guide.id }), ` ${guide.name}`),
    ),
  );
  const form = byId('idp-choice-form', HTMLFormElement);
  onSubmit(form, async () => {
    const picked = new FormData(form).get('idp');
    if (typeof picked !== 'string' || !guideFor(picked)) throw new FieldError('idp', 'Choose your identity provider, or "Another SAML 2.0 identity provider".');
    state.progress.idp = picked;
    saveProgress(session.tenant);
    if (!session.settings?.identityProvider) selectMetadataMethod(/** @type {IdpGuide} */ (guideFor(picked)).metadata.method);
    goTo('app');
  });
}

function renderIdpChoice() {
  document.querySelectorAll('#idp-choices input').forEach((input) => {
    if (input instanceof HTMLInputElement) input.checked = input.value === state.progress.idp;
  });
}

/**
 * @param {Settings | null} settings
 * @param {IdpGuide} guide
 */
function renderApp(settings, guide) {
  byId('step-app-title', HTMLElement).textContent = `Create the app in ${guide.name}`;
  byId('app-sso-off', HTMLElement).hidden = settings !== null;
  byId('app-instructions', HTMLElement).hidden = settings === null;
  if (!settings || state.step !== 'app') return;
  byId('create-app-steps', HTMLOListElement).replaceChildren(...guide.createApp.map((text) => element('li', {}, ...richText(text, settings))));
  byId('attributes-where', HTMLElement).replaceChildren(...richText(guide.attributes.where, settings));
  byId('attribute-name-column', HTMLElement).textContent = guide.attributes.nameColumn;
  byId('attribute-source-column', HTMLElement).textContent = guide.attributes.sourceColumn;
  byId('attribute-rows', HTMLElement).replaceChildren(
    ...ATTRIBUTE_KEYS.map((key) =>
      element(
        'tr',
        {},
        element('td', {}, copyField(settings.attributeMapping[key], `attribute name ${settings.attributeMapping[key]}`, guide.attributes.nameColumn)),
        element('td', {}, element('code', {}, guide.attributes.sources[key])),
      ),
    ),
  );
  const after = byId('attributes-after', HTMLElement);
  after.hidden = !guide.attributes.after;
  after.replaceChildren(...(guide.attributes.after ? richText(guide.attributes.after, settings) : []));
  byId('assign-text', HTMLElement).replaceChildren(...richText(guide.assign, settings));

  if (state.certificateUrl) URL.revokeObjectURL(state.certificateUrl);
  state.certificateUrl = URL.createObjectURL(new Blob([settings.serviceProvider.certificate], { type: 'application/x-pem-file' }));
  byId('sp-certificate-download', HTMLAnchorElement).href = state.certificateUrl;
  byId('sp-metadata-download', HTMLAnchorElement).href = settings.serviceProvider.metadataUrl;
}

/**
 * A guide text as nodes: `**…**` the console's own words, `{{name}}` a value to paste with its copy button.
 * @param {string} text
 * @param {Settings} settings
 * @returns {(Node | string)[]}
 */
function richText(text, settings) {
  return text
    .split(/(\*\*.+?\*\*|\{\{\w+\}\})/)
    .filter(Boolean)
    .map((part) => {
      if (part.startsWith('**') && part.endsWith('**')) return element('strong', { class: 'ui' }, part.slice(2, -2));
      const value = /^\{\{(acsUrl|entityId|metadataUrl)\}\}$/.exec(part)?.[1];
      if (value === 'acsUrl' || value === 'entityId' || value === 'metadataUrl') {
        return copyField(settings.serviceProvider[value], VALUE_LABELS[value], VALUE_LABELS[value]);
      }
      return part;
    });
}

/**
 * A read-only field with its copy button; the button keeps its size when it says "Copied".
 * @param {string} value
 * @param {string} name what the button copies, for screen readers
 * @param {string} label
 */
function copyField(value, name, label) {
  const id = `guide-value-${++fieldCount}`;
  const input = element('input', { id, readonly: true, value, class: 'copy-value' });
  const button = element('button', { type: 'button', class: 'secondary copy-button', 'aria-label': `Copy the ${name}` }, 'Copy');
  copiesField(button, input, name);
  return element(
    'span',
    { class: 'copy-field inline' },
    element('label', { for: id, class: 'visually-hidden' }, label),
    element('span', { class: 'copy-row' }, input, button),
  );
}

/** @param {string} method */
function selectMetadataMethod(method) {
  const radio = find(document, `input[name="idpMethod"][value="${method}"]`, HTMLInputElement);
  radio.checked = true;
  radio.dispatchEvent(new Event('change'));
}

let metadataRendered = false;

/**
 * @param {Settings | null} settings
 * @param {IdpGuide} guide
 */
function renderMetadata(settings, guide) {
  byId('idp-title', HTMLElement).textContent = `Add ${guide.name}'s metadata`;
  byId('metadata-where', HTMLElement).replaceChildren(...(settings ? richText(guide.metadata.where, settings) : []));
  byId('metadata-needs-sso', HTMLElement).hidden = settings !== null;
  byId('metadata-body', HTMLElement).hidden = settings === null;
  if (!settings || !state.session) return;
  if (!metadataRendered && !settings.identityProvider) selectMetadataMethod(guide.metadata.method);
  renderIdentityProvider(state.session, state.recoveryAction, !metadataRendered);
  metadataRendered = true;
  byId('metadata-next', HTMLButtonElement).disabled = !settings.identityProvider;
}

/** @param {Settings | null} settings */
function renderTest(settings) {
  byId('test-turned-off', HTMLElement).hidden = settings?.status !== 'disabled';
  if (settings) renderTestSignIn(settings);
  else byId('test-sign-in', HTMLButtonElement).disabled = true;
  const last = byId('last-sign-in', HTMLElement);
  last.replaceChildren(...(settings?.lastSuccessfulSignInAt ? ['Last successful sign-in with this identity provider: ', dateTime(settings.lastSuccessfulSignInAt), '.'] : []));
  byId('test-next', HTMLButtonElement).textContent = settings?.lastSuccessfulSignInAt ? 'Continue to the roles' : 'Skip the test for now';
}

/**
 * @param {SettingsSession} session
 * @param {(error: unknown) => Node | undefined} recoveryAction
 * @returns {RoleRows}
 */
function setUpRoles(session, recoveryAction) {
  const form = byId('guide-roles-form', HTMLFormElement);
  const roleRows = new RoleRows(form, 'guide-');
  form.addEventListener('input', () => roleRows.markEdited());
  form.addEventListener('change', () => roleRows.markEdited());
  onSubmit(
    form,
    async () => {
      await session.change('PATCH', '', { roleMapping: roleRows.mappings(), defaultRole: byId('guide-default-role', HTMLSelectElement).value });
      delete form.dataset.dirty;
      state.progress.rolesReviewed = true;
      saveProgress(session.tenant);
      announce('The roles are saved.');
      goTo('domains');
    },
    recoveryAction,
  );
  return roleRows;
}

/**
 * @param {Settings | null} settings
 * @param {IdpGuide} guide
 */
function renderRoles(settings, guide) {
  byId('groups-hint', HTMLElement).replaceChildren(...(settings ? richText(guide.groups, settings) : [guide.groups]));
  const form = byId('guide-roles-form', HTMLFormElement);
  if (!settings || !state.roleRows || form.dataset.dirty === 'true') return;
  state.roleRows.fill(settings.roleMapping);
  byId('guide-default-role', HTMLSelectElement).value = settings.defaultRole;
}

/**
 * @param {SettingsSession} session
 * @param {(error: unknown) => Node | undefined} recoveryAction
 */
function setUpEnforcement(session, recoveryAction) {
  const refill = setUpEnforcementForm(session, recoveryAction, byId('guide-enforce-form', HTMLFormElement));
  session.onChange((settings) => {
    if (settings) refill(settings);
  });
  if (session.settings) refill(session.settings);
}

/** @param {SettingsSession} session */
async function refreshDomainState(session) {
  if (!session.settings) {
    state.hasVerifiedDomain = false;
    return;
  }
  try {
    const domains = /** @type {{ status: string }[]} */ ((await callApi(session.credential, 'GET', `/api/v1/${pluralOf(session.tenant.type)}/${encodeURIComponent(session.tenant.id)}/domains`)).body);
    state.hasVerifiedDomain = domains.some((domain) => domain.status === 'verified');
  } catch {
    // Only the stepper's tick depends on it; the domains step shows the list's own error.
    state.hasVerifiedDomain = false;
  }
}

/**
 * @param {Settings | null} settings
 * @param {IdpGuide} guide
 */
function renderDone(settings, guide) {
  if (state.step !== 'done') return;
  const item = (/** @type {boolean} */ done, /** @type {(Node | string)[]} */ ...text) => element('li', { class: done ? 'done' : 'open' }, element('span', { class: 'visually-hidden' }, done ? 'Done: ' : 'Not done yet: '), ...text);
  const provider = settings?.identityProvider;
  byId('done-summary', HTMLUListElement).replaceChildren(
    item(Boolean(provider), provider ? `Identity provider: ${guide.name} (${provider.entityId}).` : 'No identity provider yet.'),
    item(
      Boolean(settings?.lastSuccessfulSignInAt),
      ...(settings?.lastSuccessfulSignInAt ? ['Last successful sign-in: ', dateTime(settings.lastSuccessfulSignInAt), '.'] : ['No successful sign-in yet: run the test sign-in.']),
    ),
    item(true, settings?.roleMapping.length ? `${settings.roleMapping.length} group${settings.roleMapping.length === 1 ? '' : 's'} mapped to roles; everyone else is ${settings.defaultRole}.` : `Everyone gets the role ${settings?.defaultRole ?? 'member'}.`),
    item(state.hasVerifiedDomain, state.hasVerifiedDomain ? `Verified domains send their users to ${guide.name}${settings?.enforceSso ? ', and must sign in through it' : ''}.` : 'No verified domain yet: users start from the sign-in link.'),
  );
}

/** @param {Tenant} tenant */
function progressKey(tenant) {
  return `${PROGRESS_KEY_PREFIX}${tenant.type}.${tenant.id}`;
}

/** @param {Tenant} tenant @returns {Progress} */
function loadProgress(tenant) {
  try {
    const stored = JSON.parse(localStorage.getItem(progressKey(tenant)) ?? 'null');
    return { idp: typeof stored?.idp === 'string' ? stored.idp : null, rolesReviewed: stored?.rolesReviewed === true };
  } catch {
    // Not written by this page: start the guide afresh; the server's state still marks what is done.
    return { idp: null, rolesReviewed: false };
  }
}

/** @param {Tenant} tenant */
function saveProgress(tenant) {
  localStorage.setItem(progressKey(tenant), JSON.stringify(state.progress));
}

/**
 * @param {string | null} note
 * @param {Tenant | null} [tenant]
 */
function showSignedOut(note, tenant = tenantFromAddress()) {
  showOnly('signed-out');
  const noteElement = byId('signed-out-note', HTMLElement);
  noteElement.textContent = note ?? '';
  noteElement.hidden = !note;
  byId('sign-in-link', HTMLAnchorElement).href = tenant ? tenantAddress('/admin', tenant) : '/admin';
}

function showLinkEnded() {
  showOnly('link-ended');
  byId('session-bar', HTMLElement).hidden = true;
  document.title = 'This setup link no longer works';
}

/** @param {'signed-out' | 'link-ended'} id */
function showOnly(id) {
  byId('loading', HTMLElement).hidden = true;
  byId('guide', HTMLElement).hidden = true;
  byId('signed-out', HTMLElement).hidden = id !== 'signed-out';
  byId('link-ended', HTMLElement).hidden = id !== 'link-ended';
}

/** @param {SettingsSession} session */
async function signOut(session) {
  forgetSignIn();
  if (session.credential.type === 'session' && (await endSsoSession())) return;
  window.location.assign('/admin');
}
