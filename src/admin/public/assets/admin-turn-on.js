// @ts-check
import { announce, byId } from './dom.js';
import { onSubmit } from './forms.js';

/** @typedef {import('./settings-session.js').SettingsSession} SettingsSession */
/** @typedef {(error: unknown) => Node | undefined} RecoveryAction */

/**
 * A form that turns single sign-on on: the first time, that creates the service provider identity
 * (keys, ACS URL, entity ID) the identity provider asks for; later, it turns a configuration that
 * was turned off back on. The settings page and the guide both have such forms.
 * @param {HTMLFormElement} form
 * @param {SettingsSession} session
 * @param {RecoveryAction} recoveryAction
 * @param {{ announcement: string, focus?: string }} then what screen readers hear, and the id of the heading that takes focus
 */
export function turnsSsoOn(form, session, recoveryAction, { announcement, focus }) {
  onSubmit(
    form,
    async () => {
      await session.change('POST', '/enable');
      announce(announcement);
      if (focus) byId(focus, HTMLElement).focus();
    },
    recoveryAction,
  );
}
