// @ts-check
import { byId, element, find } from './dom.js';

/** @typedef {{ group: string, role: string }} RoleMapping */

const ROLES = [
  ['admin', 'Admin'],
  ['member', 'Member'],
  ['viewer', 'Viewer'],
];

let rowCount = 0;

/**
 * The group → role editor of a form, on the settings page (rows of a table) and in the guide
 * (items of a list). Each row is named for the API's errors (`roleMapping.<index>.group`) and
 * labelled for screen readers; adding or removing a row marks the form as edited.
 */
export class RoleRows {
  /**
   * The parts have the ids `<prefix>role-rows` (a `tbody`, whose rows are `tr`s, or a list, whose rows
   * are `li`s), `<prefix>role-rows-empty` (shown while there is no row) and `<prefix>add-role`; the
   * controls get `<prefix>role-group-<n>` and `<prefix>role-role-<n>`.
   * @param {HTMLFormElement} form
   * @param {string} prefix `''` on the settings page, `guide-` in the guide
   */
  constructor(form, prefix) {
    this.form = form;
    this.rows = byId(`${prefix}role-rows`, HTMLElement);
    this.empty = byId(`${prefix}role-rows-empty`, HTMLElement);
    this.addButton = byId(`${prefix}add-role`, HTMLButtonElement);
    this.idPrefix = `${prefix}role`;
    this.inTable = this.rows instanceof HTMLTableSectionElement;
    this.addButton.addEventListener('click', () => {
      this.markEdited();
      find(this.add({ group: '', role: 'member' }), 'input', HTMLInputElement).focus();
    });
  }

  /** Shows these mappings, in place of the rows there are. @param {RoleMapping[]} mappings */
  fill(mappings) {
    this.rows.replaceChildren();
    for (const mapping of mappings) this.add(mapping);
    this.update();
  }

  /** @returns {RoleMapping[]} the rows as the API takes them */
  mappings() {
    return this.rowElements().map((row) => ({
      group: find(row, '.role-group', HTMLInputElement).value.trim(),
      role: find(row, '.role-role', HTMLSelectElement).value,
    }));
  }

  /** @param {RoleMapping} mapping @returns {HTMLElement} the new row */
  add(mapping) {
    const number = ++rowCount;
    const group = element('input', {
      id: `${this.idPrefix}-group-${number}`,
      class: 'role-group',
      placeholder: 'Group, such as sso-admins',
      autocomplete: 'off',
      spellcheck: 'false',
    });
    group.value = mapping.group;
    const role = element('select', { id: `${this.idPrefix}-role-${number}`, class: 'role-role' }, ...ROLES.map(([value, label]) => element('option', { value }, label)));
    role.value = mapping.role;
    const remove = element('button', { type: 'button', class: 'secondary small' }, 'Remove');
    const cell = this.inTable ? 'td' : 'span';
    const row = element(
      this.inTable ? 'tr' : 'li',
      { class: this.inTable ? undefined : 'role-row' },
      element(cell, { class: this.inTable ? undefined : 'role-cell' }, element('label', { for: group.id, class: 'visually-hidden' }), group),
      element(cell, { class: this.inTable ? undefined : 'role-cell' }, element('label', { for: role.id, class: 'visually-hidden' }), role),
      this.inTable ? element('td', {}, remove) : remove,
    );
    remove.addEventListener('click', () => {
      const next = row.nextElementSibling ?? row.previousElementSibling;
      row.remove();
      this.markEdited();
      this.update();
      (next ? find(next, 'input', HTMLInputElement) : this.addButton).focus();
    });
    group.addEventListener('input', () => this.update());
    this.rows.append(row);
    this.update();
    return row;
  }

  markEdited() {
    this.form.dataset.dirty = 'true';
  }

  /** @returns {HTMLElement[]} */
  rowElements() {
    return /** @type {HTMLElement[]} */ ([...this.rows.children]);
  }

  /** Keeps each row's field names and labels in order. */
  update() {
    const rows = this.rowElements();
    rows.forEach((row, index) => {
      const group = find(row, '.role-group', HTMLInputElement);
      const role = find(row, '.role-role', HTMLSelectElement);
      group.dataset.field = `roleMapping.${index}.group`;
      role.dataset.field = `roleMapping.${index}.role`;
      const name = group.value.trim() || `row ${index + 1}`;
      find(row, `label[for="${group.id}"]`, HTMLLabelElement).textContent = `Group, row ${index + 1}`;
      find(row, `label[for="${role.id}"]`, HTMLLabelElement).textContent = `Role for ${name}`;
      find(row, 'button', HTMLButtonElement).setAttribute('aria-label', `Remove ${name}`);
    });
    this.empty.hidden = rows.length > 0;
  }
}
