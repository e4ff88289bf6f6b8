// @ts-check
import { ApiError, callApi } from './api.js';
import { byId, element, localPath } from './dom.js';
import { FieldError, onSubmit } from './forms.js';

const form = byId('login-form', HTMLFormElement);
const outcome = byId('login-outcome', HTMLElement);
const returnTo = localPath(new URLSearchParams(window.location.search).get('returnTo'), '/');

/** Email first: a domain with single sign-on goes to its identity provider, and comes back to `returnTo`. */
onSubmit(form, async () => {
  outcome.hidden = true;
  const email = byId('email', HTMLInputElement).value.trim();
  if (!email) throw new FieldError('email', 'Enter your work email address.');
  let discovery;
  try {
    discovery = (await callApi(null, 'POST', '/api/v1/sso/discover', { body: { email } })).body;
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) throw new FieldError('email', 'Enter a valid email address, such as jane@example.com.');
    throw error;
  }
  if (discovery.sso) {
    showOutcome(
      discovery.enforced
        ? 'Your organization requires single sign-on. Taking you to its sign-in page…'
        : 'Your organization uses single sign-on. Taking you to its sign-in page…',
    );
    window.location.assign(`${discovery.loginUrl}?returnTo=${encodeURIComponent(returnTo)}`);
    return;
  }
  const domain = email.slice(email.lastIndexOf('@') + 1);
  showOutcome(
    element('strong', {}, `There is no single sign-on for ${domain}. `),
    'Signing in with a password is not part of this service: use the sign-in of your portal, or ask your administrator to set up single sign-on for your domain.',
  );
});

/** @param {...(string | Node)} content */
function showOutcome(...content) {
  outcome.replaceChildren(...content);
  outcome.hidden = false;
  outcome.focus();
}
