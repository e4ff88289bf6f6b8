// @ts-check
import { byId, find } from './dom.js';
import { onSubmit } from './forms.js';
import { RoleRows } from './role-rows.js';

/** @typedef {import('./settings-session.js').SettingsSession} SettingsSession */
/** @typedef {import('./settings-session.js').Settings} Settings */
/** @typedef {(error: unknown) => Node | undefined} RecoveryAction */

const DEFAULT_ATTRIBUTE_NAMES = { email: 'User.Email', firstName: 'User.FirstName', lastName: 'User.LastName', groups: 'User.groups' };
const SAVED_MESSAGE_MS = 4000;

/**
 * The forms that change options with PATCH. A form refills from the latest settings unless the
 * administrator has started editing it, so that saving one form never wipes edits in another.
 * @param {SettingsSession} session
 * @param {RecoveryAction} recoveryAction
 * @returns {(settings: Settings) => void} refills the forms that are not being edited
 */
export function setUpOptionForms(session, recoveryAction) {
  const rolesForm = byId('roles-form', HTMLFormElement);
  const roleRows = new RoleRows(rolesForm, '');
  const forms = [
    optionForm(session, recoveryAction, byId('attributes-form', HTMLFormElement), fillAttributeMapping, attributeMappingPatch),
    optionForm(session, recoveryAction, rolesForm, (settings) => fillRoles(roleRows, settings), () => rolesPatch(roleRows)),
    setUpEnforcementForm(session, recoveryAction, byId('domains-form', HTMLFormElement)),
    optionForm(session, recoveryAction, byId('advanced-form', HTMLFormElement), fillAdvanced, advancedPatch),
  ];
  byId('attribute-defaults', HTMLButtonElement).addEventListener('click', () => {
    showAttributeNames(DEFAULT_ATTRIBUTE_NAMES);
    byId('attributes-form', HTMLFormElement).dataset.dirty = 'true';
    byId('attribute-email', HTMLInputElement).focus();
  });
  return (settings) => {
    for (const refill of forms) refill(settings);
  };
}

/**
 * The "Enforce SSO for the verified domains" form, of the settings page and of the guide's domains step.
 * @param {SettingsSession} session
 * @param {RecoveryAction} recoveryAction
 * @param {HTMLFormElement} form
 * @returns {(settings: Settings) => void} refills the form unless it is being edited
 */
export function setUpEnforcementForm(session, recoveryAction, form) {
  return optionForm(session, recoveryAction, form, fillEnforcement, enforcementPatch);
}

/** Forgets unsaved edits, so that the next refill shows the settings as saved. */
export function discardUnsavedEdits() {
  document.querySelectorAll('form[data-dirty]').forEach((form) => {
    if (form instanceof HTMLFormElement) delete form.dataset.dirty;
  });
}

/**
 * @param {SettingsSession} session
 * @param {RecoveryAction} recoveryAction
 * @param {HTMLFormElement} form
 * @param {(settings: Settings) => void} fill
 * @param {() => object} patch
 */
function optionForm(session, recoveryAction, form, fill, patch) {
  const markEdited = () => {
    form.dataset.dirty = 'true';
  };
  form.addEventListener('input', markEdited);
  form.addEventListener('change', markEdited);
  const status = find(form, '[data-form-status]', HTMLElement);
  onSubmit(
    form,
    async () => {
      status.textContent = '';
      await session.change('PATCH', '', patch());
      delete form.dataset.dirty;
      if (session.settings) fill(session.settings);
      status.textContent = 'Saved.';
      setTimeout(() => {
        status.textContent = '';
      }, SAVED_MESSAGE_MS);
    },
    recoveryAction,
  );
  /** @param {Settings} settings */
  return (settings) => {
    if (form.dataset.dirty !== 'true') fill(settings);
  };
}

/** @param {Settings} settings */
function fillAttributeMapping(settings) {
  showAttributeNames(settings.attributeMapping);
}

/** @param {Settings['attributeMapping']} names */
function showAttributeNames(names) {
  byId('attribute-email', HTMLInputElement).value = names.email;
  byId('attribute-first-name', HTMLInputElement).value = names.firstName;
  byId('attribute-last-name', HTMLInputElement).value = names.lastName;
  byId('attribute-groups', HTMLInputElement).value = names.groups;
}

function attributeMappingPatch() {
  return {
    attributeMapping: {
      email: byId('attribute-email', HTMLInputElement).value.trim(),
      firstName: byId('attribute-first-name', HTMLInputElement).value.trim(),
      lastName: byId('attribute-last-name', HTMLInputElement).value.trim(),
      groups: byId('attribute-groups', HTMLInputElement).value.trim(),
    },
  };
}

/**
 * @param {RoleRows} roleRows
 * @param {Settings} settings
 */
function fillRoles(roleRows, settings) {
  roleRows.fill(settings.roleMapping);
  byId('default-role', HTMLSelectElement).value = settings.defaultRole;
  byId('groups-override-role', HTMLInputElement).checked = settings.groupsOverrideRole;
  byId('just-in-time', HTMLInputElement).checked = settings.justInTimeProvisioning;
  byId('allow-idp-initiated', HTMLInputElement).checked = settings.allowIdpInitiated;
}

/** @param {RoleRows} roleRows */
function rolesPatch(roleRows) {
  return {
    roleMapping: roleRows.mappings(),
    defaultRole: byId('default-role', HTMLSelectElement).value,
    groupsOverrideRole: byId('groups-override-role', HTMLInputElement).checked,
    justInTimeProvisioning: byId('just-in-time', HTMLInputElement).checked,
    allowIdpInitiated: byId('allow-idp-initiated', HTMLInputElement).checked,
  };
}

/** @param {Settings} settings */
function fillEnforcement(settings) {
  byId('enforce-sso', HTMLInputElement).checked = settings.enforceSso;
}

function enforcementPatch() {
  return { enforceSso: byId('enforce-sso', HTMLInputElement).checked };
}

/** @param {Settings} settings */
function fillAdvanced(settings) {
  byId('allowed-email-domains', HTMLTextAreaElement).value = settings.allowedEmailDomains.join('\n');
  byId('clock-skew', HTMLInputElement).value = String(settings.clockSkewSeconds);
  byId('allow-sha1', HTMLInputElement).checked = settings.allowSha1Signatures;
  byId('allow-cbc', HTMLInputElement).checked = settings.allowCbcEncryption;
}

function advancedPatch() {
  const skew = byId('clock-skew', HTMLInputElement).value.trim();
  return {
    allowedEmailDomains: domainList(byId('allowed-email-domains', HTMLTextAreaElement).value),
    // Anything but a number goes as typed, so that the API's message about it shows at the field.
    clockSkewSeconds: /^-?\d+(\.\d+)?$/.test(skew) ? Number(skew) : skew,
    allowSha1Signatures: byId('allow-sha1', HTMLInputElement).checked,
    allowCbcEncryption: byId('allow-cbc', HTMLInputElement).checked,
  };
}

/** Domains typed one per line, or separated by commas or spaces. @param {string} text */
function domainList(text) {
  return text.split(/[\s,]+/).filter(Boolean);
}
