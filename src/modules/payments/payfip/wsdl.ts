import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { childElement, parseXml, resolveQName, type XmlElement } from './xml';

const WSDL = 'http://schemas.xmlsoap.org/wsdl/';
const WSDL_SOAP = 'http://schemas.xmlsoap.org/wsdl/soap/';
const XSD = 'http://www.w3.org/2001/XMLSchema';

/** One side of an operation: `<tns:element><wrapper>…fields, in this order…</wrapper></tns:element>`. */
export interface MessageShape {
  /** The body element's local name (in the service's namespace). */
  element: string;
  /** Its one child, unqualified: `arg0` for a request, `return` for an answer. */
  wrapper: string;
  /** The wrapper's children, unqualified, in the order of the schema's sequence. */
  fields: string[];
}

export interface Contract {
  /** The service's namespace (the WSDL's targetNamespace): the body elements and the faults are in it. */
  namespace: string;
  /** The address in the WSDL (the PayFiP production host). */
  address: string;
  operations: Record<string, { input: MessageShape; output: MessageShape }>;
  /** The fault elements (FonctionnelleErreur…) and their fields, in order. */
  faults: Record<string, string[]>;
}

type QName = { ns: string; local: string };
const key = (q: QName) => `{${q.ns}}${q.local}`;

/**
 * Reads what the client and the simulator need from the recorded WSDL: for each operation, the
 * request and answer elements and the order of their fields, resolved through the messages, the
 * elements and the complex types of the inline schemas. Throws when the WSDL is not the shape
 * expected (document/literal, one wrapper element per message), so a wrong file fails at start.
 */
export function readContract(xml: string): Contract {
  const root = parseXml(xml);
  if (!root || root.ns !== WSDL || root.local !== 'definitions') throw new Error('PayFiP WSDL: not a WSDL 1.1 document');
  const namespace = root.attrs.targetNamespace;
  const elements = new Map<string, QName>();
  const types = new Map<string, { name: string; type: QName }[]>();
  for (const schema of childElement(root, WSDL, 'types')?.children.filter((c) => c.ns === XSD && c.local === 'schema') ?? []) {
    const tns = schema.attrs.targetNamespace;
    for (const decl of schema.children) {
      if (decl.ns !== XSD) continue;
      if (decl.local === 'element') elements.set(key({ ns: tns, local: decl.attrs.name }), resolveQName(decl, decl.attrs.type));
      if (decl.local === 'complexType') {
        const sequence = childElement(decl, XSD, 'sequence');
        const fields = (sequence?.children ?? [])
          .filter((e) => e.ns === XSD && e.local === 'element')
          .map((e) => ({ name: e.attrs.name, type: resolveQName(e, e.attrs.type) }));
        types.set(key({ ns: tns, local: decl.attrs.name }), fields);
      }
    }
  }
  const sequenceOf = (type: QName) => {
    const fields = types.get(key(type));
    if (!fields) throw new Error(`PayFiP WSDL: no complex type ${key(type)}`);
    return fields;
  };
  const messages = new Map<string, QName>();
  for (const message of root.children.filter((c) => c.ns === WSDL && c.local === 'message')) {
    const part = childElement(message, WSDL, 'part');
    if (part?.attrs.element) messages.set(message.attrs.name, resolveQName(part, part.attrs.element));
  }
  const shapeOf = (ref: XmlElement | undefined): MessageShape => {
    if (!ref) throw new Error('PayFiP WSDL: an operation lacks its input or output');
    const elementName = messages.get(resolveQName(ref, ref.attrs.message).local);
    const type = elementName && elements.get(key(elementName));
    if (!elementName || !type) throw new Error(`PayFiP WSDL: no element for message ${ref.attrs.message}`);
    const [wrapper, ...others] = sequenceOf(type);
    if (!wrapper || others.length) throw new Error(`PayFiP WSDL: ${elementName.local} is not one wrapper element`);
    return { element: elementName.local, wrapper: wrapper.name, fields: sequenceOf(wrapper.type).map((f) => f.name) };
  };
  const operations: Contract['operations'] = {};
  const faults: Contract['faults'] = {};
  const portType = childElement(root, WSDL, 'portType');
  for (const operation of portType?.children.filter((c) => c.ns === WSDL && c.local === 'operation') ?? []) {
    operations[operation.attrs.name] = { input: shapeOf(childElement(operation, WSDL, 'input')), output: shapeOf(childElement(operation, WSDL, 'output')) };
    for (const fault of operation.children.filter((c) => c.ns === WSDL && c.local === 'fault')) {
      const element = messages.get(resolveQName(fault, fault.attrs.message).local);
      const type = element && elements.get(key(element));
      if (!element || !type) throw new Error(`PayFiP WSDL: no element for fault ${fault.attrs.name}`);
      faults[element.local] = sequenceOf(type).map((f) => f.name);
    }
  }
  const port = childElement(childElement(root, WSDL, 'service'), WSDL, 'port');
  const address = childElement(port, WSDL_SOAP, 'address')?.attrs.location ?? '';
  return { namespace, address, operations, faults };
}

export const WSDL_PATH = join(import.meta.dirname, 'PaiementSecuriseService.wsdl');

/** The recorded PayFiP contract (PaiementSecuriseService.wsdl beside this file). */
export const payfipContract: Contract = readContract(readFileSync(WSDL_PATH, 'utf8'));
