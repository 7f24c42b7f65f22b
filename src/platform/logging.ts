/**
 * What the request log may keep of a URL: the paths that carry a secret (a link's token, the
 * private calendar feed's key) are written with the secret masked, and query strings are dropped
 * (they may carry a return path, a search, a PayFiP `idop`). The log is read by more people
 * than the database.
 */
const SECRET_PATHS: readonly RegExp[] = [
  /^(\/calendrier\/)[^/?]+(\.ics)$/,
  /^(\/payer\/)[^/?]+()$/,
  /^(\/activation\/)(?!renvoyer$)[^/?]+()$/,
  /^(\/mot-de-passe\/)[^/?]+()$/,
  /^(\/compte\/adresse\/)[^/?]+()$/,
  /^(\/personnel\/convocations\/)[^/?]+()$/,
];

export function redactUrl(url: string): string {
  const path = url.split('?')[0];
  for (const pattern of SECRET_PATHS) if (pattern.test(path)) return path.replace(pattern, '$1…$2');
  return path;
}

/** The request serializer of the app's logger: fastify's fields, the URL redacted. */
export function requestLog(req: { method: string; url: string; host?: string; ip?: string }) {
  return { method: req.method, url: redactUrl(req.url), host: req.host, remoteAddress: req.ip };
}
