import type { Contract, MessageShape } from './wsdl';
import { childElement, escapeXml, parseXml } from './xml';

/**
 * SOAP 1.1 document/literal envelopes for the PayFiP contract, written and read from the
 * recorded WSDL (`wsdl.ts`): the body element in the service's namespace, its wrapper (`arg0`,
 * `return`) and the wrapper's fields unqualified, in the schema's order, as JAX-WS has them.
 */

export const SOAP_ENVELOPE = 'http://schemas.xmlsoap.org/soap/envelope/';

export type Fields = Record<string, string | undefined>;

function element(shape: MessageShape, values: Fields, prefix: string): string {
  const unknown = Object.keys(values).filter((k) => !shape.fields.includes(k));
  if (unknown.length) throw new Error(`PayFiP: ${shape.element} has no field ${unknown.join(', ')}`);
  const fields = shape.fields
    .filter((name) => values[name] !== undefined)
    .map((name) => `<${name}>${escapeXml(values[name]!)}</${name}>`)
    .join('');
  return `<${prefix}:${shape.element}><${shape.wrapper}>${fields}</${shape.wrapper}></${prefix}:${shape.element}>`;
}

/** A request, as the client sends it (the prefixes PayFiP's own examples and integrations use). */
export function requestEnvelope(contract: Contract, operation: string, values: Fields): string {
  const shape = contract.operations[operation]?.input;
  if (!shape) throw new Error(`PayFiP: no operation ${operation}`);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<soapenv:Envelope xmlns:soapenv="${SOAP_ENVELOPE}" xmlns:pai="${contract.namespace}">` +
    `<soapenv:Header/><soapenv:Body>${element(shape, values, 'pai')}</soapenv:Body></soapenv:Envelope>`
  );
}

/** An answer, as the service (JAX-WS) writes it. */
export function responseEnvelope(contract: Contract, operation: string, values: Fields): string {
  const shape = contract.operations[operation]?.output;
  if (!shape) throw new Error(`PayFiP: no operation ${operation}`);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<S:Envelope xmlns:S="${SOAP_ENVELOPE}"><S:Body>` +
    element(shape, values, 'ns2').replace(`<ns2:${shape.element}>`, `<ns2:${shape.element} xmlns:ns2="${contract.namespace}">`) +
    `</S:Body></S:Envelope>`
  );
}

export interface FaultDetail {
  /** The fault element: FonctionnelleErreur, TechDysfonctionnementErreur, TechIndisponibiliteErreur, TechProtocolaireErreur. */
  type: string;
  fields: Record<string, string>;
}

export interface Fault {
  faultcode: string;
  faultstring: string;
  detail?: FaultDetail;
}

/** A fault, as JAX-WS writes a service exception: faultstring is the exception class, the detail its fields. */
export function faultEnvelope(contract: Contract, fault: Fault): string {
  let detail = '';
  if (fault.detail) {
    const order = contract.faults[fault.detail.type];
    if (!order) throw new Error(`PayFiP: no fault ${fault.detail.type}`);
    const fields = order
      .filter((name) => fault.detail!.fields[name] !== undefined)
      .map((name) => `<${name}>${escapeXml(fault.detail!.fields[name])}</${name}>`)
      .join('');
    detail = `<detail><ns2:${fault.detail.type} xmlns:ns2="${contract.namespace}">${fields}</ns2:${fault.detail.type}></detail>`;
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<S:Envelope xmlns:S="${SOAP_ENVELOPE}"><S:Body><S:Fault>` +
    `<faultcode>${escapeXml(fault.faultcode)}</faultcode><faultstring>${escapeXml(fault.faultstring)}</faultstring>${detail}` +
    `</S:Fault></S:Body></S:Envelope>`
  );
}

export type SoapMessage =
  | {
      kind: 'message';
      /** The body element's namespace and local name. */
      ns: string;
      element: string;
      /** Its one child's local name (`arg0`, `return`), '' when it has none. */
      wrapper: string;
      /** The wrapper's unqualified children: what JAXB binds. */
      fields: Record<string, string>;
      /** The order they came in. */
      order: string[];
      /** Children in a namespace, which JAXB ignores for these unqualified schemas. */
      qualified: string[];
    }
  | { kind: 'fault'; fault: Fault };

/** Reads a SOAP 1.1 envelope; undefined when the text is not one. */
export function readEnvelope(xml: string): SoapMessage | undefined {
  const root = parseXml(xml);
  if (!root || root.ns !== SOAP_ENVELOPE || root.local !== 'Envelope') return undefined;
  const body = childElement(root, SOAP_ENVELOPE, 'Body');
  const content = body?.children[0];
  if (!content) return undefined;
  if (content.ns === SOAP_ENVELOPE && content.local === 'Fault') {
    const text = (name: string) => content.children.find((c) => c.local === name && (c.ns === '' || c.ns === SOAP_ENVELOPE))?.text ?? '';
    const detailElement = content.children.find((c) => c.local === 'detail')?.children[0];
    const detail = detailElement && {
      type: detailElement.local,
      fields: Object.fromEntries(detailElement.children.map((c) => [c.local, c.text])),
    };
    return { kind: 'fault', fault: { faultcode: text('faultcode'), faultstring: text('faultstring'), ...(detail ? { detail } : {}) } };
  }
  const first = content.children[0];
  // A wrapper in a namespace is not the schema's `arg0`/`return`: JAXB binds nothing from it.
  const wrapper = first && first.ns === '' ? first : undefined;
  const unqualified = wrapper?.children.filter((c) => c.ns === '') ?? [];
  return {
    kind: 'message',
    ns: content.ns,
    element: content.local,
    wrapper: wrapper?.local ?? '',
    fields: Object.fromEntries(unqualified.map((c) => [c.local, c.text])),
    order: unqualified.map((c) => c.local),
    qualified: wrapper?.children.filter((c) => c.ns !== '').map((c) => c.local) ?? [],
  };
}
