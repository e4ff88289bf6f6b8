// @ts-check
import { callApi, pluralOf } from './api.js';
import { announce, byId, dateTime, element } from './dom.js';
import { onSubmit } from './forms.js';

/** @typedef {import('./settings-session.js').SettingsSession} SettingsSession */
/** @typedef {{ id: string, createdAt: string, expiresAt: string, lastUsedAt: string | null, revoked: boolean }} SetupLink */

/**
 * The setup-links section: links that hand this tenant's SSO set-up to whoever runs the identity
 * provider (create with a lifetime, the URL shown once, list with last use, revoke).
 * @param {SettingsSession} session
 * @param {(error: unknown) => Node | undefined} recoveryAction
 * @returns {() => Promise<void>} loads the list
 */
export function setUpSetupLinks(session, recoveryAction) {
  const path = `/api/v1/${pluralOf(session.tenant.type)}/${encodeURIComponent(session.tenant.id)}/setup-links`;
  const list = byId('setup-link-list', HTMLUListElement);

  const load = async () => {
    try {
      const links = /** @type {SetupLink[]} */ ((await callApi(session.credential, 'GET', path)).body);
      list.replaceChildren(...(links.length === 0 ? [element('li', { class: 'hint' }, 'No setup link yet.')] : links.map(linkItem)));
    } catch (error) {
      list.replaceChildren(element('li', { role: 'alert' }, `The setup links could not be loaded: ${error instanceof Error ? error.message : String(error)}`));
    }
  };

  /** @param {SetupLink} link */
  const linkItem = (link) => {
    const ended = link.revoked || new Date(link.expiresAt).getTime() <= Date.now();
    const state = link.revoked ? 'Revoked' : ended ? 'Expired' : 'Works';
    const status = element(
      'p',
      { class: 'hint', role: 'status' },
      'Created ',
      dateTime(link.createdAt),
      link.revoked ? '. ' : ended ? '; expired ' : '; works until ',
      link.revoked ? '' : dateTime(link.expiresAt),
      link.revoked ? '' : '. ',
      link.lastUsedAt ? element('span', {}, 'Last used ', dateTime(link.lastUsedAt), '.') : 'Not used yet.',
    );
    const actions = element('div', { class: 'actions' });
    if (!ended) {
      const revoke = element('button', { type: 'button', class: 'secondary' }, 'Revoke');
      revoke.addEventListener('click', async () => {
        if (!window.confirm('Revoke this setup link? Whoever has it can no longer open the set-up, at once.')) return;
        try {
          await callApi(session.credential, 'DELETE', `${path}/${encodeURIComponent(link.id)}`);
          announce('The setup link was revoked.');
          await load();
        } catch (error) {
          status.textContent = error instanceof Error ? error.message : String(error);
        }
      });
      actions.append(revoke);
    }
    return element(
      'li',
      { class: 'domain', 'data-link-id': link.id },
      element('div', { class: 'domain-head' }, element('span', { class: 'domain-name' }, `Setup link ${link.id.slice(0, 8)}`), element('span', { class: 'badge', 'data-status': ended ? 'failed' : 'verified' }, state)),
      status,
      actions,
    );
  };

  onSubmit(
    byId('setup-link-form', HTMLFormElement),
    async () => {
      const expiresInHours = Number(byId('setup-link-lifetime', HTMLSelectElement).value);
      const { body } = await callApi(session.credential, 'POST', path, { body: { expiresInHours } });
      byId('setup-link-url', HTMLInputElement).value = body.url;
      byId('setup-link-new', HTMLElement).hidden = false;
      announce('The setup link was created. Copy it now: it is shown only once.');
      await load();
    },
    recoveryAction,
  );
  byId('setup-links', HTMLElement).hidden = session.credential.type === 'setupLink';
  return load;
}
