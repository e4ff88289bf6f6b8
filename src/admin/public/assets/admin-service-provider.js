// @ts-check
import { announce, byId, copyFieldValue } from './dom.js';

/** @typedef {import('./settings-session.js').Settings} Settings */

const COPIED_LABEL_MS = 2000;

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
    button.addEventListener('click', async () => {
      const field = byId(button.dataset.copy ?? '', HTMLInputElement);
      const name = button.dataset.copyName ?? 'value';
      const outcome = await copyFieldValue(field);
      if (outcome === 'copied') {
        button.textContent = 'Copied';
        announce(`The ${name} was copied.`);
        setTimeout(() => {
          button.textContent = 'Copy';
        }, COPIED_LABEL_MS);
      } else {
        announce(`The ${name} is selected: press Control+C, or Command+C on a Mac, to copy it.`);
      }
    });
  });
}
