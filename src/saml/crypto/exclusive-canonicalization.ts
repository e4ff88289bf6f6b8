import type { Element, Node } from '@xmldom/xmldom';
import { ExclusiveCanonicalization, ExclusiveCanonicalizationWithComments } from 'xml-crypto';
import { isElement } from '../xml/dom';

export interface ExclusiveCanonicalizationOptions {
  /** The enveloped Signature, left out of the output as the enveloped-signature transform says. */
  excludedChild?: Node;
  /** The InclusiveNamespaces PrefixList: these prefixes are rendered as inclusive c14n would. */
  inclusivePrefixes: readonly string[];
  withComments: boolean;
}

interface NamespaceDeclaration {
  prefix: string;
  namespaceURI: string;
}

// Same default as xml-crypto's SignedXml, so that both canonicalize a stray `ds:` prefix alike.
const DEFAULT_NS_FOR_PREFIX = { ds: 'http://www.w3.org/2000/09/xmldsig#' };
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/**
 * Exclusive XML canonicalization of one element of an already parsed document, by xml-crypto's
 * canonicalizer, without cloning or re-parsing anything.
 *
 * xml-crypto renders the apex element itself only after copying the ancestors' declarations of
 * inclusive prefixes onto it and removing the enveloped Signature from a clone. Here the apex is
 * rendered from a view that carries those declarations, and its children, the Signature skipped,
 * go through the same `processInner` xml-crypto uses, so the octets are the ones it would digest.
 */
export function canonicalizeExclusive(
  element: Element,
  options: ExclusiveCanonicalizationOptions,
): string {
  const c14n = options.withComments
    ? new ExclusiveCanonicalizationWithComments()
    : new ExclusiveCanonicalization();
  const prefixes = [...options.inclusivePrefixes];
  const apex = {
    prefix: element.prefix,
    namespaceURI: element.namespaceURI,
    attributes: [
      ...Array.from(element.attributes),
      ...inheritedDeclarations(element, prefixes).map(asDeclarationAttribute),
    ],
  };
  const prefixesInScope: NamespaceDeclaration[] = [];
  const namespaces = c14n.renderNs(apex, prefixesInScope, '', DEFAULT_NS_FOR_PREFIX, prefixes);
  const parts = ['<', element.tagName, namespaces.rendered, c14n.renderAttrs(element), '>'];
  for (let child = element.firstChild; child !== null; child = child.nextSibling) {
    if (child !== options.excludedChild) {
      parts.push(
        c14n.processInner(
          child,
          prefixesInScope.slice(),
          namespaces.newDefaultNs,
          DEFAULT_NS_FOR_PREFIX,
          prefixes,
        ),
      );
    }
  }
  parts.push('</', element.tagName, '>');
  return parts.join('');
}

/**
 * Declarations of the listed prefixes made on the ancestors and not redeclared by the element,
 * nearest first, as xml-crypto's `findAncestorNsForElement` collects them.
 */
function inheritedDeclarations(element: Element, prefixes: readonly string[]): NamespaceDeclaration[] {
  if (prefixes.length === 0) {
    return [];
  }
  const seen = new Set<string>([element.prefix ?? '', ...declaredPrefixes(element)]);
  const inherited: NamespaceDeclaration[] = [];
  for (let ancestor = element.parentNode; isElement(ancestor); ancestor = ancestor.parentNode) {
    for (const declaration of declarationsOn(ancestor)) {
      if (seen.has(declaration.prefix)) {
        continue;
      }
      seen.add(declaration.prefix);
      if (declaration.namespaceURI !== '' && prefixes.includes(declaration.prefix)) {
        inherited.push(declaration);
      }
    }
  }
  return inherited;
}

function declaredPrefixes(element: Element): string[] {
  return declarationsOn(element).map((declaration) => declaration.prefix);
}

function declarationsOn(element: Element): NamespaceDeclaration[] {
  const declarations: NamespaceDeclaration[] = [];
  for (const attribute of Array.from(element.attributes)) {
    if (attribute.name === 'xmlns' || attribute.name.startsWith('xmlns:')) {
      declarations.push({ prefix: attribute.name.slice(6), namespaceURI: attribute.value });
    }
  }
  return declarations;
}

function asDeclarationAttribute(declaration: NamespaceDeclaration) {
  return {
    name: `xmlns:${declaration.prefix}`,
    prefix: 'xmlns',
    localName: declaration.prefix,
    namespaceURI: XMLNS_NS,
    value: declaration.namespaceURI,
  };
}
