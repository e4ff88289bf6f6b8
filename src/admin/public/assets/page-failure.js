// @ts-check
import { byId, element, find } from './dom.js';

/**
 * What the settings page and the guide show when something they did not expect went wrong: the
 * page gives way to the error and a link that loads it again at the same address.
 * @param {unknown} error
 */
export function showFatal(error) {
  byId('loading', HTMLElement).hidden = true;
  const main = byId('main', HTMLElement);
  main.replaceChildren(
    element('h1', { tabindex: '-1' }, 'Something went wrong'),
    element('p', { role: 'alert' }, error instanceof Error ? error.message : String(error)),
    element('p', {}, element('a', { href: window.location.pathname + window.location.search }, 'Reload the page')),
  );
  find(main, 'h1', HTMLElement).focus();
}

/**
 * A small button offered with an error, such as "Sign in again"; a failure of its own action is fatal.
 * @param {string} label
 * @param {() => Promise<void>} action
 */
export function actionButton(label, action) {
  const button = element('button', { type: 'button', class: 'secondary small' }, label);
  button.addEventListener('click', () => void action().catch(showFatal));
  return button;
}
