// @ts-check
import { element } from './dom.js';
import { problemInWords } from './field-problems.js';

/** @typedef {{ field: string, code?: string, message: string }} FieldProblem */
/** @typedef {{ message: string, field?: string, code?: string, errors?: FieldProblem[] }} FormProblem */

const CONTROLS = 'input, select, textarea, button';
const ERROR_ID_PREFIX = 'field-error-';
let errorCount = 0;

/**
 * The element that shows problems of the form as a whole (role="alert" in the markup).
 * @param {HTMLFormElement} form
 */
function formErrorOf(form) {
  const node = form.querySelector('[data-form-error]');
  if (!(node instanceof HTMLElement)) throw new Error(`form #${form.id} has no [data-form-error]`);
  return node;
}

/** @param {HTMLFormElement} form */
export function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach((node) => node.remove());
  form.querySelectorAll('[aria-invalid="true"]').forEach((control) => {
    control.removeAttribute('aria-invalid');
    const describedBy = (control.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .filter((id) => id && !id.startsWith(ERROR_ID_PREFIX))
      .join(' ');
    if (describedBy) control.setAttribute('aria-describedby', describedBy);
    else control.removeAttribute('aria-describedby');
  });
  const formError = formErrorOf(form);
  formError.replaceChildren();
  formError.hidden = true;
}

/**
 * The element marked with the problem's field (`data-field`), or with its nearest parent path:
 * `roleMapping.2.role`, then `roleMapping.2`, then `roleMapping`.
 * @param {HTMLFormElement} form
 * @param {string} field
 * @returns {HTMLElement | null}
 */
function fieldTarget(form, field) {
  for (let path = field; path; path = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '') {
    const target = form.querySelector(`[data-field="${CSS.escape(path)}"]`);
    if (target instanceof HTMLElement) return target;
  }
  return null;
}

/**
 * Shows each problem next to the field it names (the API's `errors`, else its `field`), in words
 * (field-problems.js), and the rest at the top of the form, then moves focus to the first one so
 * keyboard and screen reader users land on it.
 * @param {HTMLFormElement} form
 * @param {FormProblem} problem
 * @param {Node} [action] offered with a message at the top of the form, such as a reload button
 */
export function showErrors(form, problem, action) {
  clearErrors(form);
  const problems = problem.errors?.length ? problem.errors : [{ field: problem.field, code: problem.code, message: problem.message }];
  /** @type {Map<HTMLElement, HTMLElement>} */
  const messageByTarget = new Map();
  /** @type {string[]} */
  const unplaced = [];
  for (const each of problems) {
    const target = each.field ? fieldTarget(form, each.field) : null;
    const control = target && (target.matches(CONTROLS) ? target : target.querySelector(CONTROLS));
    const message = problemInWords(each, target?.tagName === 'FIELDSET' ? target : control ?? target);
    if (!target) {
      if (!unplaced.includes(message)) unplaced.push(message);
      continue;
    }
    const existing = messageByTarget.get(target);
    if (existing) {
      if (!existing.textContent?.includes(message)) existing.append(element('br'), message);
      continue;
    }
    const id = `${ERROR_ID_PREFIX}${++errorCount}`;
    const errorText = element('p', { class: 'field-error', id }, message);
    if (target === control) target.after(errorText);
    else target.append(errorText);
    const invalid = control ?? target;
    invalid.setAttribute('aria-invalid', 'true');
    invalid.setAttribute('aria-describedby', `${invalid.getAttribute('aria-describedby') ?? ''} ${id}`.trim());
    messageByTarget.set(target, errorText);
  }
  const formError = formErrorOf(form);
  if (unplaced.length > 0 || action) {
    formError.replaceChildren(...unplaced.flatMap((message, index) => (index === 0 ? [message] : [element('br'), message])));
    if (action) formError.append(' ', action);
    formError.hidden = false;
  }
  const [first] = messageByTarget.keys();
  const focusTarget = first ? (first.matches(CONTROLS) ? first : first.querySelector(CONTROLS) ?? first) : formError;
  if (focusTarget instanceof HTMLElement) focusTarget.focus();
}

/**
 * Disables the form's buttons while a request runs, so that it is not sent twice.
 * @param {HTMLFormElement} form
 * @param {boolean} busy
 */
export function setBusy(form, busy) {
  form.setAttribute('aria-busy', String(busy));
  form.querySelectorAll('button').forEach((button) => {
    button.disabled = busy;
  });
}

/**
 * Runs `action` for the form's submit event with the form busy; a thrown error with a message is shown
 * in the form (at its field when it names one).
 * @param {HTMLFormElement} form
 * @param {() => Promise<void>} action
 * @param {(error: unknown) => Node | undefined} [actionFor] extra control to offer with an error
 */
export function onSubmit(form, action, actionFor) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    setBusy(form, true);
    try {
      await action();
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      showErrors(form, /** @type {FormProblem} */ (error), actionFor?.(error));
    } finally {
      setBusy(form, false);
    }
  });
}

/** A problem found before calling the API, shaped like the API's own. */
export class FieldError extends Error {
  /**
   * @param {string} field
   * @param {string} message
   */
  constructor(field, message) {
    super(message);
    this.field = field;
  }
}

/** Several problems found before calling the API, all shown at once. */
export class FieldErrors extends Error {
  /** @param {[FieldProblem, ...FieldProblem[]]} errors */
  constructor(errors) {
    super(errors[0].message);
    this.field = errors[0].field;
    this.errors = errors;
  }
}
