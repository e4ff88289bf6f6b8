/**
 * Random documents for the exclusive-c14n differential test: namespace declarations and
 * redeclarations on the element and its ancestors, default namespaces and their undeclaration,
 * prefixed and `xml:` attributes in any order, escapes that c14n rewrites, comments, CDATA.
 * Deterministic for a seed, so that a failure can be replayed.
 */

export const APEX_NS = 'urn:c14n:apex';
export const XMLDSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
const PREFIXES = ['a', 'b', 'c', 'ds', 'p'];
const URIS = ['urn:c14n:one', 'urn:c14n:two', 'urn:c14n:three', XMLDSIG_NS, APEX_NS];
const LOCAL_NAMES = ['e', 'f', 'Item', 'g'];
const ATTRIBUTE_NAMES = ['z', 'y', 'm', 'A', 'b1', 'ID2'];
const ATTRIBUTE_VALUES = ['v', '', 'a&amp;b', 'x&lt;y', '&quot;q&quot;', '&gt;', 'tab&#9;nl&#10;cr&#13;', 'é'];
const TEXTS = ['t', ' ', '\n  ', 'a&amp;b', '&lt;x&gt;', 'cr&#13;lf', 'ü', ']]&gt;'];

export type Random = () => number;

/**
 * Where xml-crypto's exclusive c14n, and so ours, departs from the specification (pinned by their
 * own tests): `&` and `<` in comments are escaped, and `xmlns=""` is rendered again on each
 * no-namespace element below an undeclaration. Documents for the xmlsec1 comparison leave both out.
 */
export interface GeneratorOptions {
  knownDivergences: boolean;
}

let options: GeneratorOptions = { knownDivergences: true };

/** mulberry32: small, fast and good enough to vary documents. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

function chance(random: Random, probability: number): boolean {
  return random() < probability;
}

type Scope = ReadonlyMap<string, string>;

interface Declarations {
  text: string;
  scope: Scope;
}

/** Random declarations on one element: prefixes (re)bound, the default namespace set or undeclared. */
function declarations(
  random: Random,
  outer: Scope,
  force: Array<[string, string]> = [],
  keep: string | null = null,
): Declarations {
  const scope = new Map(outer);
  const declared = new Map<string, string>(force);
  const count = chance(random, 0.5) ? Math.floor(random() * 3) : 0;
  for (let i = 0; i < count; i++) {
    const prefix = pick(random, PREFIXES);
    if (!declared.has(prefix) && prefix !== keep) declared.set(prefix, pick(random, URIS));
  }
  if (!declared.has('') && keep !== '' && chance(random, 0.2)) {
    declared.set('', options.knownDivergences && chance(random, 0.3) ? '' : pick(random, URIS));
  }
  const parts: string[] = [];
  for (const [prefix, uri] of shuffled(random, [...declared])) {
    parts.push(prefix === '' ? ` xmlns="${uri}"` : ` xmlns:${prefix}="${uri}"`);
    scope.set(prefix, uri);
  }
  return { text: parts.join(''), scope };
}

function shuffled<T>(random: Random, items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

function attributes(random: Random, scope: Scope): string {
  const names = shuffled(random, ATTRIBUTE_NAMES).slice(0, Math.floor(random() * 4));
  const prefixes = [...scope].filter(([prefix, uri]) => prefix !== '' && uri !== '').map(([prefix]) => prefix);
  const parts = names.map((name) => {
    const prefix = prefixes.length > 0 && chance(random, 0.3) ? `${pick(random, prefixes)}:` : '';
    return ` ${prefix}${name}="${pick(random, ATTRIBUTE_VALUES)}"`;
  });
  if (chance(random, 0.1)) parts.push(` xml:lang="en"`);
  // Two prefixes bound to one URI would give one expanded name twice, which is not well-formed.
  const expanded = new Set<string>();
  return shuffled(random, parts)
    .filter((part) => {
      const [, prefix, name] = /^ (?:([^:=]+):)?([^=]+)=/.exec(part)!;
      const key = `${prefix === undefined ? '' : prefix === 'xml' ? 'xml' : scope.get(prefix)}|${name}`;
      if (expanded.has(key)) return false;
      expanded.add(key);
      return true;
    })
    .join('');
}

function elementName(random: Random, scope: Scope, localName = pick(random, LOCAL_NAMES)): string {
  const prefixes = [...scope].filter(([prefix, uri]) => prefix !== '' && uri !== '').map(([prefix]) => prefix);
  return prefixes.length > 0 && chance(random, 0.6) ? `${pick(random, prefixes)}:${localName}` : localName;
}

function content(random: Random, scope: Scope, depth: number): string {
  const parts: string[] = [];
  const count = depth >= 4 ? 0 : Math.floor(random() * 4);
  for (let i = 0; i < count; i++) {
    const kind = random();
    if (kind < 0.45) parts.push(element(random, scope, depth + 1));
    else if (kind < 0.75) parts.push(pick(random, TEXTS));
    else if (kind < 0.9) parts.push(`<!--${pick(random, options.knownDivergences ? [' c ', '', 'a&b<c>'] : [' c ', '', 'a-b c'])}-->`);
    else parts.push(`<![CDATA[${pick(random, ['<x>&', ' ', 'cdata'])}]]>`);
  }
  return parts.join('');
}

function element(random: Random, outer: Scope, depth: number): string {
  const declared = declarations(random, outer);
  const name = elementName(random, declared.scope);
  return `<${name}${declared.text}${attributes(random, declared.scope)}>${content(random, declared.scope, depth)}</${name}>`;
}

export interface GeneratedItem {
  id: string;
  /** The wrapper elements around the apex, outermost first, as open tags. */
  xml: string;
  inclusivePrefixes: string[];
  withComments: boolean;
}

/**
 * One apex element `Item` in APEX_NS with an ID, inside one or two wrappers that declare
 * namespaces of their own; the apex's prefix is declared on it, on a wrapper, or is the default.
 */
export function generateItem(random: Random, id: string, outer: Scope, signature = ''): GeneratedItem {
  const wrapperName = elementName(random, outer, 'Wrap');
  const wrapper = declarations(random, outer);
  const apexPlacement = random();
  const apexPrefix = apexPlacement < 0.33 ? '' : pick(random, PREFIXES);
  const force: Array<[string, string]> =
    apexPlacement < 0.33 ? [['', APEX_NS]] : apexPlacement < 0.66 ? [[apexPrefix, APEX_NS]] : [];
  const wrapperScope = new Map(wrapper.scope);
  let wrapperDeclarations = wrapper.text;
  if (apexPlacement >= 0.66 && wrapperScope.get(apexPrefix) !== APEX_NS) {
    wrapperDeclarations = wrapperDeclarations.replace(new RegExp(` xmlns:${apexPrefix}="[^"]*"`), '');
    wrapperDeclarations += ` xmlns:${apexPrefix}="${APEX_NS}"`;
    wrapperScope.set(apexPrefix, APEX_NS);
  }
  const apex = declarations(random, wrapperScope, force, apexPrefix);
  const apexName = apexPrefix === '' ? 'Item' : `${apexPrefix}:Item`;
  const children = [content(random, apex.scope, 1), content(random, apex.scope, 1)];
  const inner = signature === '' ? children.join('') : `${children[0]}${signature}${children[1]}`;
  const apexXml = `<${apexName}${apex.text} ID="${id}"${attributes(random, apex.scope)}>${inner}</${apexName}>`;
  const candidates = [...new Set([...PREFIXES, ...wrapperScope.keys()])].filter((prefix) => prefix !== '');
  const inclusivePrefixes = chance(random, 0.5) ? shuffled(random, candidates).slice(0, 1 + Math.floor(random() * 3)) : [];
  return {
    id,
    xml: `<${wrapperName}${wrapperDeclarations}>${pick(random, ['', ' ', '<!--w-->'])}${apexXml}</${wrapperName}>`,
    inclusivePrefixes,
    withComments: chance(random, 0.3),
  };
}

export interface GeneratedBatch {
  xml: string;
  items: GeneratedItem[];
  /** The item whose apex holds the Signature, which its Reference takes out (enveloped-signature). */
  envelopedItemId: string;
}

export const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
export const EXC_C14N_WITH_COMMENTS = 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

/**
 * Many items under one root with one Signature template holding a Reference per item, so that one
 * `xmlsec1 --sign` computes every item's digest. A `#id` Reference drops comments, so items
 * canonicalized with comments are referenced as `#xpointer(id('…'))`, which keeps them.
 */
export function generateBatch(
  random: Random,
  size: number,
  batchIndex: number,
  generatorOptions: GeneratorOptions,
): GeneratedBatch {
  options = generatorOptions;
  const root = declarations(random, new Map([['', '']]));
  const ids = Array.from({ length: size }, (_, index) => `id-${batchIndex}-${index}`);
  const envelopedItemId = ids[Math.floor(random() * size)];
  const items: GeneratedItem[] = [];
  const references: string[] = [];
  const placeholder = '<!--SIGNATURE-->';
  for (const id of ids) {
    const item = generateItem(random, id, root.scope, id === envelopedItemId ? placeholder : '');
    items.push(item);
    const uri = item.withComments ? `#xpointer(id('${id}'))` : `#${id}`;
    const c14n = item.withComments ? EXC_C14N_WITH_COMMENTS : EXC_C14N;
    const prefixList =
      item.inclusivePrefixes.length === 0
        ? ''
        : `<ec:InclusiveNamespaces xmlns:ec="${EXC_C14N}" PrefixList="${item.inclusivePrefixes.join(' ')}"/>`;
    const enveloped = id === envelopedItemId ? `<dsig:Transform Algorithm="${ENVELOPED}"/>` : '';
    references.push(
      `<dsig:Reference URI="${uri}"><dsig:Transforms>${enveloped}<dsig:Transform Algorithm="${c14n}">${prefixList}` +
        `</dsig:Transform></dsig:Transforms><dsig:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>` +
        `<dsig:DigestValue/></dsig:Reference>`,
    );
  }
  const signature =
    `<dsig:Signature xmlns:dsig="${XMLDSIG_NS}"><dsig:SignedInfo>` +
    `<dsig:CanonicalizationMethod Algorithm="${EXC_C14N}"/>` +
    `<dsig:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"/>` +
    `${references.join('')}</dsig:SignedInfo><dsig:SignatureValue/></dsig:Signature>`;
  const body = items.map((item) => item.xml).join('').replace(placeholder, signature);
  return { xml: `<Root${root.text}>${body}</Root>`, items, envelopedItemId };
}
