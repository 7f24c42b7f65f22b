import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * A small namespace-aware view of an XML document, on top of fast-xml-parser (which keeps
 * prefixes as written): each element knows its namespace URI, its local name and the prefixes
 * in scope (to read QName values such as `type="ns1:CreerPaiementSecuriseRequest"`).
 */
export interface XmlElement {
  ns: string;
  local: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (trimmed), '' when it has none. */
  text: string;
  /** Prefix → namespace URI in scope at this element ('' is the default namespace). */
  scope: Record<string, string>;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: '#comment',
});

type Ordered = Record<string, unknown>;

function convert(node: Ordered, parentScope: Record<string, string>): XmlElement | undefined {
  const name = Object.keys(node).find((k) => k !== ':@' && k !== '#text' && k !== '#comment');
  if (!name) return undefined;
  const rawAttrs = (node[':@'] as Record<string, string> | undefined) ?? {};
  const scope = { ...parentScope };
  const attrs: Record<string, string> = {};
  for (const [key, value] of Object.entries(rawAttrs)) {
    const attr = key.slice(2);
    if (attr === 'xmlns') scope[''] = value;
    else if (attr.startsWith('xmlns:')) scope[attr.slice(6)] = value;
    else attrs[attr] = value;
  }
  const colon = name.indexOf(':');
  const prefix = colon === -1 ? '' : name.slice(0, colon);
  const local = colon === -1 ? name : name.slice(colon + 1);
  const ns = scope[prefix] ?? '';
  const children: XmlElement[] = [];
  let text = '';
  for (const child of (node[name] as Ordered[]) ?? []) {
    if ('#text' in child) text += String(child['#text']);
    else {
      const element = convert(child, scope);
      if (element) children.push(element);
    }
  }
  return { ns, local, attrs, children, text: text.trim(), scope };
}

/**
 * The root element of a well-formed document, or undefined. A document type declaration is
 * refused (SOAP forbids it, and it is how entity-expansion attacks come in).
 */
export function parseXml(xml: string): XmlElement | undefined {
  if (/<!DOCTYPE/i.test(xml) || XMLValidator.validate(xml) !== true) return undefined;
  const top = parser.parse(xml) as Ordered[];
  for (const node of top) {
    const element = convert(node, { xml: 'http://www.w3.org/XML/1998/namespace' });
    if (element) return element;
  }
  return undefined;
}

/** The first child element with this namespace and local name. */
export function childElement(element: XmlElement | undefined, ns: string, local: string): XmlElement | undefined {
  return element?.children.find((c) => c.ns === ns && c.local === local);
}

/** A QName attribute value (`tns:Foo`) resolved with the prefixes in scope at `element`. */
export function resolveQName(element: XmlElement, qname: string): { ns: string; local: string } {
  const colon = qname.indexOf(':');
  if (colon === -1) return { ns: element.scope[''] ?? '', local: qname };
  return { ns: element.scope[qname.slice(0, colon)] ?? '', local: qname.slice(colon + 1) };
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text or attribute value for XML; control characters XML 1.0 cannot carry are dropped. */
export function escapeXml(value: string): string {
  return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[&<>"']/g, (c) => entities[c]);
}
