// @ts-check

/** @typedef {Node | string | null | undefined | false} Child */

/**
 * Builds an element from text and nodes only (never from markup), so API data cannot inject HTML.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | boolean | undefined>} [attributes] true sets an empty attribute; false and undefined omit it
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

/**
 * @template {HTMLElement} T
 * @param {string} id
 * @param {{ new (): T }} type
 * @returns {T}
 */
export function byId(id, type) {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`#${id} is missing or is not a ${type.name}`);
  return node;
}

/**
 * @template {Element} T
 * @param {ParentNode} parent
 * @param {string} selector
 * @param {{ new (): T }} type
 * @returns {T}
 */
export function find(parent, selector, type) {
  const node = parent.querySelector(selector);
  if (!(node instanceof type)) throw new Error(`${selector} is missing or is not a ${type.name}`);
  return node;
}

/** Says `message` to screen readers through the page's polite live region. @param {string} message */
export function announce(message) {
  const region = byId('announcer', HTMLElement);
  region.textContent = '';
  // A changed text is announced again even when it equals the previous one.
  requestAnimationFrame(() => {
    region.textContent = message;
  });
}

/** @param {string} iso */
export function dateTime(iso) {
  const date = new Date(iso);
  return element('time', { datetime: iso }, date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }));
}

/** @param {string} iso */
export function date(iso) {
  return element('time', { datetime: iso }, new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' }));
}

/**
 * Copies a read-only field's value. Where the Clipboard API is missing (a page served over plain
 * http) or refused, it falls back to copying the selection, and else leaves the text selected.
 * @param {HTMLInputElement | HTMLTextAreaElement} field
 * @returns {Promise<'copied' | 'selected'>}
 */
export async function copyFieldValue(field) {
  if (navigator.clipboard) {
    try {
      await navigator.clipboard.writeText(field.value);
      return 'copied';
    } catch {
      // Refused (no permission, page not focused): the selection fallback below still works.
    }
  }
  field.focus();
  field.select();
  return document.execCommand('copy') ? 'copied' : 'selected';
}

const COPIED_LABEL_MS = 2000;

/**
 * Makes `button` copy `field`'s value; the button says "Copied" for a moment, and screen readers
 * hear what was copied (or how to copy the selected text where copying was refused).
 * @param {HTMLButtonElement} button
 * @param {HTMLInputElement} field
 * @param {string} name what the button copies, such as "ACS URL"
 */
export function copiesField(button, field, name) {
  button.addEventListener('click', async () => {
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
}

/**
 * A relative path on this site to land on after signing in, or `fallback` for anything else
 * (absolute URLs and `//host` paths would send the user to another site).
 * @param {string | null} value
 * @param {string} fallback
 */
export function localPath(value, fallback) {
  return value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : fallback;
}
