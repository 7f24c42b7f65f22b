/**
 * How the tests read a page's HTML: without the stylesheet the layout inlines in its head (issue 19
 * point 8, `inlineStyle` in src/platform/assets.ts). The stylesheet names every class and says words
 * (`content: '…'`); left in, a test looking for a class name or a word in the markup would find
 * it in the CSS, and a test saying a class is absent could never pass. This is the one place that
 * takes it out: `readPagesWithoutStyle` for the answers of `app.inject` (and so of `Client`), and
 * `renderMarkup` for a page rendered directly.
 *
 * Only that exact element is taken out. Any other `<style>` left in a page is an error here: the CSP
 * allows the stylesheet's hash and no other inline style, so a browser would refuse it, and an
 * injected one must not be hidden from a test. What went over the wire is untouched in
 * `rawPayload` (test/page-weight.test.ts weighs and reads that).
 */
import type { FastifyInstance } from 'fastify';
import type { VNode } from 'preact';
import { inlineStyle } from '../src/platform/assets';
import { renderPage } from '../src/platform/http';

let element: string | undefined;

/** `html` without the page's inlined stylesheet; throws if another `<style>` element is left. */
export function withoutStyle(html: string): string {
  element ??= `<style>${inlineStyle('app.css')}</style>`;
  const markup = html.split(element).join('');
  const other = /<style\b[^>]*>/i.exec(markup);
  if (other) throw new Error(`a page with a <style> element that is not the inlined stylesheet (the CSP refuses it): ${markup.slice(other.index, other.index + 120)}`);
  return markup;
}

/** A page component rendered as the app sends it (`renderPage`), read as the tests read it (see above). */
export function renderMarkup<P>(node: VNode<P>): string {
  return withoutStyle(renderPage(node as VNode));
}

type Injected = { headers: Record<string, unknown>; body: string; payload: string };

/**
 * Makes `app.inject` answer HTML pages as the tests read them: `body` and `payload` without the
 * inlined stylesheet when the answer is an uncompressed `text/html` page; `rawPayload` as sent.
 */
export function readPagesWithoutStyle(app: FastifyInstance): FastifyInstance {
  const inject = app.inject.bind(app) as (...args: unknown[]) => unknown;
  const read = (response: Injected) => {
    if (/^text\/html/i.test(String(response.headers['content-type'] ?? '')) && !response.headers['content-encoding']) {
      response.payload = response.body = withoutStyle(response.body);
    }
    return response;
  };
  app.inject = ((...args: unknown[]) => {
    // The callback form and the chained form (`app.inject().get(…)`) are not used by the tests: passed on as they are.
    if (args.length !== 1) return inject(...args);
    return (inject(args[0]) as Promise<Injected>).then(read);
  }) as FastifyInstance['inject'];
  return app;
}
