import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { smsSegments } from '../sms';

/** A message the simulated Brevo took. */
export interface SimulatedSms {
  messageId: number;
  sender: string;
  recipient: string;
  content: string;
  type: string;
  tag: string | null;
  webUrl: string | null;
  unicodeEnabled: boolean;
  smsCount: number;
  events: Array<{ event: string; date: string }>;
}

/**
 * What the simulator does with the next send requests, one each, then `ok`:
 *   ok       takes the message, answers 201
 *   timeout  takes the message, never answers (the client's timeout: Brevo has it)
 *   drop     never answers and never takes it (lost on the way: Brevo does not have it)
 *   error    answers 500 without taking it
 *   refuse   answers 400 (a number Brevo does not accept)
 */
export type SimulatorBehaviour = 'ok' | 'timeout' | 'drop' | 'error' | 'refuse';

export interface BrevoSimulator {
  /** The API's base, as BREVO_API_URL: http://127.0.0.1:<port>/v3. */
  url: string;
  apiKey: string;
  messages: SimulatedSms[];
  /** Every send request received, taken or not. */
  sendRequests: number;
  lookups: number;
  next: SimulatorBehaviour[];
  /**
   * Posts Brevo's webhook for one event of a message to its webUrl, the body Brevo documents.
   * `post` is how (fetch by default; a test of an app that does not listen gives app.inject).
   */
  report(messageId: number, status: 'sent' | 'delivered' | 'soft_bounce' | 'hard_bounce', post?: (url: string, body: Record<string, unknown>) => Promise<{ statusCode: number }>): Promise<{ statusCode: number }>;
  close(): Promise<void>;
}

const json = (response: ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
};

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A faithful stand-in for Brevo's transactional SMS API, for the tests: the send
 * (POST /v3/transactionalSMS/sms), the unaggregated events (GET
 * /v3/transactionalSMS/statistics/events, filtered by `tags`), the `api-key` header and the
 * error bodies ({ code, message }); it records what it took, can be told to time out or fail,
 * and posts delivery reports to each message's webUrl.
 */
export async function startBrevoSimulator(options: { apiKey?: string } = {}): Promise<BrevoSimulator> {
  const apiKey = options.apiKey ?? 'xkeysib-simulated-0123456789abcdef';
  let nextId = 1_511_882_900_176_220;
  let credits = 100;
  const held: ServerResponse[] = [];
  const sim: BrevoSimulator = {
    url: '',
    apiKey,
    messages: [],
    sendRequests: 0,
    lookups: 0,
    next: [],
    async report(messageId, status, post) {
      const message = sim.messages.find((m) => m.messageId === messageId);
      if (!message?.webUrl) throw new Error(`the simulator has no message ${messageId} with a webUrl`);
      const date = new Date().toISOString();
      message.events.push({ event: status === 'soft_bounce' ? 'softBounce' : status === 'hard_bounce' ? 'hardBounce' : status, date });
      const body = {
        id: 26570,
        to: message.recipient,
        sms_count: message.smsCount,
        credits_used: message.smsCount * 0.045,
        messageId: message.messageId,
        remaining_credit: credits,
        msg_status: status,
        date,
        type: 'transactional',
        reference: `ref${message.messageId}`,
        tag: message.tag,
      };
      if (post) return post(message.webUrl, body);
      const response = await fetch(message.webUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { statusCode: response.status };
    },
    close: async () => {
      for (const response of held) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://simulator');
    const body = await readBody(request);
    if (request.headers['api-key'] !== apiKey) return json(response, 401, { code: 'unauthorized', message: 'Key not found' });
    if (request.method === 'POST' && url.pathname === '/v3/transactionalSMS/sms') {
      sim.sendRequests++;
      let input: Record<string, unknown>;
      try {
        input = JSON.parse(body);
      } catch {
        return json(response, 400, { code: 'bad_request', message: 'Input must be a valid JSON object' });
      }
      const { sender, recipient, content } = input;
      if (typeof sender !== 'string' || !/^([A-Za-z0-9]{1,11}|\d{1,15})$/.test(sender)) return json(response, 400, { code: 'invalid_parameter', message: 'Invalid sender' });
      if (typeof recipient !== 'string' || !/^\+?\d{6,15}$/.test(recipient)) return json(response, 400, { code: 'invalid_parameter', message: 'Invalid recipient' });
      if (typeof content !== 'string' || !content) return json(response, 400, { code: 'missing_parameter', message: 'content is missing' });
      const behaviour = sim.next.shift() ?? 'ok';
      if (behaviour === 'refuse') return json(response, 400, { code: 'invalid_parameter', message: 'Invalid recipient' });
      if (behaviour === 'error') return json(response, 500, { code: 'internal_error', message: 'Internal error' });
      if (behaviour === 'drop') return void held.push(response);
      const smsCount = smsSegments(content).segments;
      const message: SimulatedSms = {
        messageId: nextId++,
        sender,
        recipient,
        content,
        type: typeof input.type === 'string' ? input.type : 'transactional',
        tag: typeof input.tag === 'string' ? input.tag : null,
        webUrl: typeof input.webUrl === 'string' ? input.webUrl : null,
        unicodeEnabled: input.unicodeEnabled === true,
        smsCount,
        events: [{ event: 'sent', date: new Date().toISOString() }],
      };
      sim.messages.push(message);
      credits -= smsCount * 0.045;
      if (behaviour === 'timeout') return void held.push(response);
      return json(response, 201, { reference: `ref${message.messageId}`, messageId: message.messageId, smsCount, usedCredits: smsCount * 0.045, remainingCredits: credits });
    }
    if (request.method === 'GET' && url.pathname === '/v3/transactionalSMS/statistics/events') {
      sim.lookups++;
      let tags: string[] | null = null;
      const raw = url.searchParams.get('tags');
      if (raw !== null) {
        try {
          const parsed = JSON.parse(raw);
          tags = Array.isArray(parsed) ? parsed.map(String) : [String(parsed)];
        } catch {
          return json(response, 400, { code: 'invalid_parameter', message: 'tags must be a serialized array' });
        }
      }
      const limit = Math.min(100, Number(url.searchParams.get('limit') ?? 50));
      const events = sim.messages
        .filter((m) => tags === null || (m.tag !== null && tags.includes(m.tag)))
        .flatMap((m) => m.events.map((e) => ({ phoneNumber: m.recipient, date: e.date, messageId: String(m.messageId), event: e.event, tag: m.tag ?? '' })))
        .slice(0, limit);
      return json(response, 200, { events });
    }
    return json(response, 404, { code: 'not_found', message: 'Invalid route' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sim.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v3`;
  return sim;
}
