// @ts-check
import { callApi } from './api.js';
import { byId, element } from './dom.js';
import { TEST_SIGN_IN_CHANNEL } from './test-sign-in-message.js';

/** @typedef {import('./test-sign-in-message.js').TestSignInMessage} TestSignInMessage */

byId('close-window', HTMLButtonElement).addEventListener('click', () => window.close());
void reportSignIn();

/** Where a test sign-in lands: says who signed in, here and to the settings page that opened the window. */
async function reportSignIn() {
  /** @type {TestSignInMessage} */
  let message;
  try {
    const me = (await callApi({ type: 'session' }, 'GET', '/api/v1/me')).body;
    message = { type: TEST_SIGN_IN_CHANNEL, ok: true, me };
  } catch (error) {
    message = { type: TEST_SIGN_IN_CHANNEL, ok: false, message: `The sign-in did not start a session: ${/** @type {Error} */ (error).message}` };
  }
  show(message);
  if (window.opener) window.opener.postMessage(message, window.location.origin);
  else {
    const channel = new BroadcastChannel(TEST_SIGN_IN_CHANNEL);
    channel.postMessage(message);
    channel.close();
  }
}

/** @param {TestSignInMessage} message */
function show(message) {
  const result = byId('result', HTMLElement);
  result.className = message.ok ? 'result success' : 'result failure';
  if (message.ok && message.me) {
    const { user, tenant } = message.me;
    result.replaceChildren(
      element('p', {}, element('strong', {}, 'Signed in. '), `${[user.firstName, user.lastName].filter(Boolean).join(' ') || user.email} (${user.email}), role ${user.role}, in the ${tenant.type} ${tenant.name ?? tenant.id}.`),
      element('p', {}, 'The settings page shows this result too; you can close this window.'),
    );
  } else {
    result.replaceChildren(element('p', {}, element('strong', {}, 'Test sign-in failed. '), message.message ?? ''));
  }
}
