import type { Element, Node } from '@xmldom/xmldom';

const ELEMENT_NODE = 1;

export function isElement(node: Node | null | undefined): node is Element {
  return node != null && node.nodeType === ELEMENT_NODE;
}

export function isNamed(element: Element, namespaceUri: string, localName: string): boolean {
  return element.namespaceURI === namespaceUri && element.localName === localName;
}

export function childElements(parent: Element, namespaceUri: string, localName: string): Element[] {
  const matches: Element[] = [];
  for (let child = parent.firstChild; child !== null; child = child.nextSibling) {
    if (isElement(child) && isNamed(child, namespaceUri, localName)) {
      matches.push(child);
    }
  }
  return matches;
}

/**
 * Visits every element of the subtree, the root included, in document order. Iterative, because
 * a hostile document can nest deeper than the call stack.
 */
export function forEachElement(root: Element, visit: (element: Element) => void): void {
  let node: Node | null = root;
  while (node !== null) {
    if (isElement(node)) {
      visit(node);
    }
    node = nextInPreOrder(node, root);
  }
}

function nextInPreOrder(node: Node, root: Node): Node | null {
  if (node.firstChild !== null) {
    return node.firstChild;
  }
  let current: Node | null = node;
  while (current !== null && current !== root) {
    if (current.nextSibling !== null) {
      return current.nextSibling;
    }
    current = current.parentNode;
  }
  return null;
}

export function attributeOf(element: Element, name: string): string | null {
  return element.hasAttribute(name) ? element.getAttribute(name) : null;
}

/**
 * The text of an element as the signature covered it: every text and CDATA descendant. Comments
 * are not text, so `a@b.com<!---->.evil.com` reads as the whole `a@b.com.evil.com`, never as the
 * first text node alone.
 */
export function textOf(element: Element): string {
  return (element.textContent ?? '').trim();
}
