// @ts-check
import { byId, element } from './dom.js';
import { loadLoginAttempts } from './admin-activity.js';
import { explainLoginAttempt, FIX_SECTIONS } from './login-attempt-reasons.js';
import { isTestSignInMessage, TEST_SIGN_IN_CHANNEL } from './test-sign-in-message.js';

/** @typedef {import('./settings-session.js').SettingsSession} SettingsSession */
/** @typedef {import('./settings-session.js').Settings} Settings */
/** @typedef {import('./admin-activity.js').LoginAttempt} LoginAttempt */
/** @typedef {import('./test-sign-in-message.js').TestSignInMessage} TestSignInMessage */
/**
 * @typedef {{ kind: 'reported', message: TestSignInMessage }
 *   | { kind: 'failed', attempt: LoginAttempt }
 *   | { kind: 'stopped' }
 *   | { kind: 'timed-out' }} TestOutcome
 */

const TEST_RESULT_PATH = '/admin/test-result';
const POLL_INTERVAL_MS = 2500;
const GIVE_UP_AFTER_MS = 10 * 60 * 1000;

/**
 * @param {SettingsSession} session
 * @param {(session: SettingsSession) => Promise<unknown>} [afterTest] what the page refreshes once the test ended (the settings page: its attempts)
 */
export function setUpTestSignIn(session, afterTest = loadLoginAttempts) {
  byId('test-sign-in', HTMLButtonElement).addEventListener('click', () => void runTest(session, afterTest));
}

/** @param {Settings} settings */
export function renderTestSignIn(settings) {
  const button = byId('test-sign-in', HTMLButtonElement);
  button.disabled = settings.status !== 'active';
  byId('test-sign-in-hint', HTMLElement).textContent =
    settings.status === 'active' ? '' : settings.status === 'disabled' ? 'Turn single sign-on on to test it.' : 'Add the identity provider first.';
}

/**
 * @param {SettingsSession} session
 * @param {(session: SettingsSession) => Promise<unknown>} afterTest
 */
async function runTest(session, afterTest) {
  const settings = session.settings;
  if (!settings) return;
  const result = byId('test-sign-in-result', HTMLElement);
  const button = byId('test-sign-in', HTMLButtonElement);
  const url = `${settings.serviceProvider.loginUrl}?returnTo=${encodeURIComponent(TEST_RESULT_PATH)}`;
  // Opened before any await, while the click still allows a new window.
  const popup = window.open(url, TEST_SIGN_IN_CHANNEL, 'popup,width=640,height=760');
  if (!popup) {
    result.className = 'result failure';
    result.replaceChildren(
      'Your browser blocked the new window. Allow pop-ups for this site, or ',
      element('a', { href: url, target: '_blank' }, 'run the test in a new tab'),
      '.',
    );
    return;
  }
  const newestBefore = (await newestAttempt(session))?.at ?? null;
  const stop = element('button', { type: 'button', class: 'secondary small' }, 'Stop waiting');
  button.disabled = true;
  result.className = 'result';
  result.replaceChildren('Waiting for the sign-in in the other window… ', stop);
  try {
    report(await outcomeOf(popup, session, newestBefore, stop));
  } finally {
    button.disabled = false;
    await afterTest(session);
  }
}

/**
 * Whichever comes first: the result page's message (a postMessage from the window, or on the
 * BroadcastChannel when the identity provider's pages cut the window off from this one), a new failed
 * attempt (the service then shows its own error page in the window and never reaches the result page),
 * the administrator giving up, or the time limit. Whether the window was closed cannot be told
 * reliably: once cut off, it looks closed while still open.
 * @param {Window} popup
 * @param {SettingsSession} session
 * @param {string | null} newestBefore
 * @param {HTMLButtonElement} stop
 * @returns {Promise<TestOutcome>}
 */
function outcomeOf(popup, session, newestBefore, stop) {
  return new Promise((resolve) => {
    const channel = new BroadcastChannel(TEST_SIGN_IN_CHANNEL);
    const startedAt = Date.now();
    /** @param {TestOutcome} outcome */
    const finish = (outcome) => {
      window.removeEventListener('message', onMessage);
      channel.close();
      clearInterval(poll);
      resolve(outcome);
    };
    /** @param {MessageEvent} event */
    const onMessage = (event) => {
      if (event.origin === window.location.origin && event.source === popup && isTestSignInMessage(event.data)) {
        finish({ kind: 'reported', message: event.data });
      }
    };
    window.addEventListener('message', onMessage);
    channel.onmessage = (event) => {
      if (isTestSignInMessage(event.data)) finish({ kind: 'reported', message: event.data });
    };
    stop.addEventListener('click', () => finish({ kind: 'stopped' }));
    const poll = setInterval(async () => {
      const attempt = await newestAttempt(session);
      if (attempt && attempt.at !== newestBefore && attempt.outcome === 'failure') finish({ kind: 'failed', attempt });
      else if (Date.now() - startedAt > GIVE_UP_AFTER_MS) finish({ kind: 'timed-out' });
    }, POLL_INTERVAL_MS);
  });
}

/** @param {SettingsSession} session @returns {Promise<LoginAttempt | undefined>} */
async function newestAttempt(session) {
  try {
    return /** @type {LoginAttempt[]} */ (await session.list('/login-attempts?limit=1'))[0];
  } catch {
    // The list is a hint only; the result page's message still decides.
    return undefined;
  }
}

/** @param {TestOutcome} outcome */
function report(outcome) {
  const result = byId('test-sign-in-result', HTMLElement);
  const succeeded = outcome.kind === 'reported' && outcome.message.ok;
  result.className = succeeded ? 'result success' : outcome.kind === 'stopped' ? 'result' : 'result failure';
  switch (outcome.kind) {
    case 'reported': {
      const { me, message } = outcome.message;
      if (outcome.message.ok && me) {
        const { user } = me;
        result.replaceChildren(
          element('strong', {}, 'Test sign-in worked. '),
          `${[user.firstName, user.lastName].filter(Boolean).join(' ') || user.email} (${user.email}) signed in${me.tenant.name ? ` to ${me.tenant.name}` : ''} with the role ${user.role}`,
          user.groups.length ? `, groups: ${user.groups.join(', ')}.` : ', in no groups.',
        );
      } else {
        result.replaceChildren(element('strong', {}, 'Test sign-in failed. '), message ?? 'The sign-in did not start a session.');
      }
      return;
    }
    case 'failed': {
      const fix = outcome.attempt.reason ? FIX_SECTIONS[outcome.attempt.reason] : undefined;
      result.replaceChildren(
        element('strong', {}, 'Test sign-in failed. '),
        explainLoginAttempt(outcome.attempt),
        fix ? element('span', {}, ' ', element('a', { href: `#${fix.id}` }, `Go to ${fix.name}`)) : '',
        outcome.attempt.reference ? element('span', { class: 'code' }, ` (reference ${outcome.attempt.reference})`) : '',
      );
      return;
    }
    case 'stopped':
      result.replaceChildren('Stopped waiting for the test sign-in.');
      return;
    case 'timed-out':
      result.replaceChildren('No result after 10 minutes; the test stopped waiting.');
      return;
  }
}
