// @ts-check
import { ApiError, callApi } from './api.js';
import { byId, element } from './dom.js';
import { onSubmit } from './forms.js';
import { endSsoSession } from './page-sign-in.js';

/** @typedef {{ user: { id: string, email: string, firstName: string, lastName: string, groups: string[], role: string }, tenant: { type: string, id: string, name?: string | null } }} Me */

const who = byId('who', HTMLElement);
const signOutForm = byId('sign-out-form', HTMLFormElement);

/** Where users land after signing in: who they are, in which tenant, with which role. */
void showWhoIsSignedIn();

onSubmit(signOutForm, async () => {
  if (await endSsoSession()) return;
  signOutForm.hidden = true;
  showSignedOut('You are signed out.');
});

async function showWhoIsSignedIn() {
  /** @type {Me} */
  let me;
  try {
    me = (await callApi({ type: 'session' }, 'GET', '/api/v1/me')).body;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) showSignedOut('You are not signed in.');
    else who.replaceChildren(element('p', { role: 'alert' }, `Could not tell who is signed in: ${/** @type {Error} */ (error).message}`));
    return;
  }
  const { user, tenant } = me;
  byId('app-title', HTMLElement).textContent = `Welcome, ${user.firstName || user.email}`;
  who.replaceChildren(
    element(
      'dl',
      { class: 'details', id: 'signed-in-user' },
      element('dt', {}, 'Name'),
      element('dd', { 'data-user': 'name' }, `${user.firstName} ${user.lastName}`.trim() || '—'),
      element('dt', {}, 'Email'),
      element('dd', { 'data-user': 'email' }, user.email),
      element('dt', {}, 'Role'),
      element('dd', { 'data-user': 'role' }, user.role),
      element('dt', {}, 'Groups'),
      element('dd', { 'data-user': 'groups' }, user.groups.join(', ') || 'None'),
      element('dt', {}, tenant.type === 'partner' ? 'Partner' : 'Organization'),
      element('dd', { 'data-user': 'tenant' }, tenant.name ?? tenant.id),
    ),
  );
  if (user.role === 'admin') who.append(element('p', {}, element('a', { href: '/admin' }, 'Manage single sign-on')));
  signOutForm.hidden = false;
}

/** @param {string} message */
function showSignedOut(message) {
  who.replaceChildren(
    element('p', {}, message),
    element('p', {}, element('a', { href: `/login?returnTo=${encodeURIComponent('/app')}` }, 'Sign in')),
  );
}
