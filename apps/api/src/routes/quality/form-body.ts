import { BiogateError } from '@biogate/contracts';

/**
 * Parses an `application/x-www-form-urlencoded` body keeping `+` literal. The seed's own example
 * (`curl -d encrypted_image=xxx`) sends base64 without URL-encoding it, and the standard rule (`+` = space)
 * would silently corrupt every such image; base64 never contains spaces, so nothing is lost for clients that
 * do encode (`%2B`). Repeated keys keep the first value.
 */
export function parseSeedForm(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of body.split('&')) {
    if (pair.length === 0) continue;
    const eq = pair.indexOf('=');
    const rawKey = eq >= 0 ? pair.slice(0, eq) : pair;
    const rawValue = eq >= 0 ? pair.slice(eq + 1) : '';
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(rawKey);
      value = decodeURIComponent(rawValue);
    } catch {
      throw new BiogateError('invalid_request', 'the form body has a malformed %-escape');
    }
    if (!Object.hasOwn(out, key)) out[key] = value;
  }
  return out;
}
