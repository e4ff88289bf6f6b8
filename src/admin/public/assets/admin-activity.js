// @ts-check
import { auditEntryInWords } from './audit-words.js';
import { byId, dateTime, element, find } from './dom.js';
import { explainLoginAttempt, FAILURE_EXPLANATIONS, FIX_SECTIONS, reasonTitle } from './login-attempt-reasons.js';

/** @typedef {import('./settings-session.js').SettingsSession} SettingsSession */
/**
 * @typedef {{ at: string, outcome: 'success' | 'failure', reason: string | null, reference: string | null, email?: string,
 *   assertionId?: string, role?: string | null, test?: boolean }} LoginAttempt
 */
/** @typedef {import('./audit-words.js').AuditEntry} AuditEntry */

const LIST_LIMIT = 50;
const ROLE_NAMES = /** @type {Record<string, string>} */ ({ admin: 'Admin', member: 'Member', viewer: 'Viewer' });

/** @param {SettingsSession} session */
export function setUpActivity(session) {
  byId('attempts-refresh', HTMLButtonElement).addEventListener('click', () => void loadLoginAttempts(session));
  byId('audit-refresh', HTMLButtonElement).addEventListener('click', () => void loadAuditLog(session));
  const reasons = byId('attempts-reason', HTMLSelectElement);
  if (reasons.options.length === 1) {
    reasons.append(...Object.keys(FAILURE_EXPLANATIONS).map((reason) => element('option', { value: reason }, `${reasonTitle(reason)} (${reason})`)));
  }
  const filters = byId('attempts-filters', HTMLFormElement);
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    void loadLoginAttempts(session);
  });
  filters.addEventListener('reset', () => setTimeout(() => void loadLoginAttempts(session)));
}

/**
 * The filters of the form as the API's query (`outcome`, `reason`, `email`, `test`, `reference`).
 * @returns {URLSearchParams}
 */
function attemptFilters() {
  const form = new FormData(byId('attempts-filters', HTMLFormElement));
  const query = new URLSearchParams({ limit: String(LIST_LIMIT) });
  for (const name of ['outcome', 'reason', 'email', 'test', 'reference']) {
    const value = String(form.get(name) ?? '').trim();
    if (value) query.set(name, value);
  }
  return query;
}

/**
 * @param {SettingsSession} session
 * @returns {Promise<LoginAttempt[]>}
 */
export async function loadLoginAttempts(session) {
  const query = attemptFilters();
  const filtered = [...query.keys()].some((name) => name !== 'limit');
  const attempts = /** @type {LoginAttempt[]} */ (await loadInto(session, `/login-attempts?${query}`, 'attempts'));
  fillTable('attempts', attempts, attemptRow);
  byId('attempts-empty', HTMLElement).textContent = filtered ? 'No sign-in attempt matches these filters.' : 'No sign-in attempts yet.';
  return attempts;
}

/** @param {LoginAttempt} attempt */
function attemptRow(attempt) {
  const fix = attempt.outcome === 'failure' && attempt.reason ? FIX_SECTIONS[attempt.reason] : undefined;
  return element(
    'tr',
    { class: attempt.outcome === 'success' ? 'success' : 'failure', 'data-reference': attempt.reference ?? undefined },
    element('td', { 'data-label': 'When' }, dateTime(attempt.at)),
    element('td', { 'data-label': 'Result' }, attempt.outcome === 'success' ? 'Success' : 'Failed'),
    element('td', { 'data-label': 'User' }, attempt.email ?? '—'),
    element('td', { 'data-label': 'Role' }, attempt.role ? ROLE_NAMES[attempt.role] ?? attempt.role : '—'),
    element('td', { 'data-label': 'Kind' }, attempt.test ? 'Test' : 'Real'),
    element(
      'td',
      { 'data-label': 'What happened' },
      explainLoginAttempt(attempt),
      fix ? element('span', {}, ' ', element('a', { href: `#${fix.id}` }, `Go to ${fix.name}`)) : null,
      attempt.reason ? element('span', { class: 'code' }, ` (${attempt.reason})`) : null,
    ),
    element('td', { 'data-label': 'Reference' }, attempt.reference ? element('span', { class: 'code' }, attempt.reference) : '—'),
  );
}

/** @param {SettingsSession} session */
export async function loadAuditLog(session) {
  const entries = /** @type {AuditEntry[]} */ (await loadInto(session, `/audit-log?limit=${LIST_LIMIT}`, 'audit'));
  fillTable('audit', entries, (entry) =>
    element(
      'tr',
      {},
      element('td', { 'data-label': 'When' }, dateTime(entry.at)),
      element(
        'td',
        { 'data-label': 'Who did what' },
        ...auditEntryInWords(entry).map((sentence) => element('p', { class: 'audit-sentence' }, sentence)),
        entry.changes.length > 0
          ? element(
              'details',
              {},
              element('summary', {}, 'Exact values'),
              element('ul', { class: 'changes' }, ...entry.changes.map((change) => element('li', {}, element('code', {}, change.field), `: ${shown(change.old)} → ${shown(change.new)}`))),
            )
          : null,
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

/** @param {unknown} value */
function shown(value) {
  return value === null || value === undefined ? 'none' : typeof value === 'string' ? value : JSON.stringify(value);
}
