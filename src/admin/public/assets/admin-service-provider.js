// @ts-check
import { byId, copiesField } from './dom.js';

/** @typedef {import('./settings-session.js').Settings} Settings */

/** @param {Settings} settings */
export function renderServiceProvider(settings) {
  const provider = settings.serviceProvider;
  byId('sp-acs-url', HTMLInputElement).value = provider.acsUrl;
  byId('sp-entity-id', HTMLInputElement).value = provider.entityId;
  byId('sp-metadata-url', HTMLInputElement).value = provider.metadataUrl;
  byId('sp-login-url', HTMLInputElement).value = provider.loginUrl;
  byId('sp-metadata-link', HTMLAnchorElement).href = provider.metadataUrl;
}

/** Every button with `data-copy="<field id>"` copies that field and says so. */
export function setUpCopyButtons() {
  document.querySelectorAll('button[data-copy]').forEach((button) => {
    if (!(button instanceof HTMLButtonElement)) return;
    copiesField(button, byId(button.dataset.copy ?? '', HTMLInputElement), button.dataset.copyName ?? 'value');
  });
}
