// @ts-check
import { byId, dateTime, element, find } from './dom.js';
import { explainLoginAttempt } from './login-attempt-reasons.js';

/** @typedef {import('./settings-session.js').SettingsSession} SettingsSession */
/** @typedef {{ at: string, outcome: 'success' | 'failure', reason: string | null, reference: string | null, email?: string, assertionId?: string }} LoginAttempt */
/** @typedef {{ at: string, actor: { type: string, id: string | null }, action: string, changes: { field: string, old: unknown, new: unknown }[] }} AuditEntry */

const LIST_LIMIT = 50;
const CHANGE_VALUE_MAX_LENGTH = 120;

const ACTION_WORDS = /** @type {Record<string, string>} */ ({
  enable: 'Turned single sign-on on',
  disable: 'Turned single sign-on off',
  identity_provider: 'Set the identity provider',
  identity_provider_refresh: 'Fetched the identity provider metadata again',
  update: 'Changed settings',
  delete: 'Removed the configuration',
  single_logout: 'Identity provider answered a sign-out',
  'domain.claimed': 'Added a domain',
  'domain.deleted': 'Removed a domain',
  'domain.verified': 'Verified a domain by DNS',
  'domain.verified_manually': 'Verified a domain without DNS (platform operator)',
  'domain.verification_failed': 'Tried to verify a domain',
  'domain.verification_lapsed': 'A domain lost its DNS record and stopped routing',
});

/** @param {SettingsSession} session */
export function setUpActivity(session) {
  byId('attempts-refresh', HTMLButtonElement).addEventListener('click', () => void loadLoginAttempts(session));
  byId('audit-refresh', HTMLButtonElement).addEventListener('click', () => void loadAuditLog(session));
}

/**
 * @param {SettingsSession} session
 * @returns {Promise<LoginAttempt[]>}
 */
export async function loadLoginAttempts(session) {
  const attempts = /** @type {LoginAttempt[]} */ (await loadInto(session, `/login-attempts?limit=${LIST_LIMIT}`, 'attempts'));
  fillTable('attempts', attempts, (attempt) =>
    element(
      'tr',
      { class: attempt.outcome === 'success' ? 'success' : 'failure' },
      element('td', {}, dateTime(attempt.at)),
      element('td', {}, attempt.outcome === 'success' ? 'Success' : 'Failed'),
      element('td', {}, attempt.email ?? '—'),
      element('td', {}, explainLoginAttempt(attempt), attempt.reason ? element('span', { class: 'code' }, ` (${attempt.reason})`) : null),
      element('td', {}, attempt.reference ? element('span', { class: 'code' }, attempt.reference) : '—'),
    ),
  );
  return attempts;
}

/** @param {SettingsSession} session */
export async function loadAuditLog(session) {
  const entries = /** @type {AuditEntry[]} */ (await loadInto(session, `/audit-log?limit=${LIST_LIMIT}`, 'audit'));
  fillTable('audit', entries, (entry) =>
    element(
      'tr',
      {},
      element('td', {}, dateTime(entry.at)),
      element('td', {}, describeActor(entry.actor)),
      element('td', {}, ACTION_WORDS[entry.action] ?? entry.action),
      element(
        'td',
        {},
        element('ul', { class: 'changes' }, ...entry.changes.map((change) => element('li', {}, element('code', {}, change.field), `: ${shown(change.old)} → ${shown(change.new)}`))),
      ),
    ),
  );
}

/**
 * Fetches a list; a failure is shown above its table rather than breaking the page.
 * @param {SettingsSession} session
 * @param {string} subpath
 * @param {'attempts' | 'audit'} name
 */
async function loadInto(session, subpath, name) {
  const error = byId(`${name}-error`, HTMLElement);
  try {
    const items = await session.list(subpath);
    error.hidden = true;
    return items;
  } catch (failure) {
    error.textContent = `Could not load this list: ${/** @type {Error} */ (failure).message}`;
    error.hidden = false;
    return [];
  }
}

/**
 * @template T
 * @param {'attempts' | 'audit'} name
 * @param {T[]} items
 * @param {(item: T) => HTMLTableRowElement} row
 */
function fillTable(name, items, row) {
  const table = byId(`${name}-table`, HTMLTableElement);
  find(table, 'tbody', HTMLTableSectionElement).replaceChildren(...items.map(row));
  byId(`${name}-region`, HTMLElement).hidden = items.length === 0;
  byId(`${name}-empty`, HTMLElement).hidden = items.length > 0;
}

/** @param {{ type: string, id: string | null }} actor */
function describeActor(actor) {
  switch (actor.type) {
    case 'platform':
      return 'Platform operator';
    case 'api_key':
      return `API key ${actor.id ?? ''}`.trim();
    case 'user':
      return `User ${actor.id ?? ''}`.trim();
    case 'system':
      return 'Automatic refresh';
    case 'unverified_message':
      return 'Unverified SAML message';
    default:
      return actor.type;
  }
}

/** @param {unknown} value */
function shown(value) {
  const text = value === null || value === undefined ? 'none' : typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > CHANGE_VALUE_MAX_LENGTH ? `${text.slice(0, CHANGE_VALUE_MAX_LENGTH - 1)}…` : text;
}
