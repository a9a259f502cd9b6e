/**
 * The host a customer means, from whatever they pasted: "www.x.cn", "https://www.x.cn/a?b", "x.cn:8080/".
 * WHATWG URL parsing lower-cases the host and turns Chinese domains into punycode, so the blocked list
 * and the question compare in the same form. null when nothing host-like is there.
 */
export function hostOf(input: string): string | null {
  const text = input.trim();
  if (!text) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text.replace(/^\/\//, '')}`;
  try {
    const host = new URL(withScheme).hostname.replace(/\.$/, '');
    return host === '' ? null : host;
  } catch {
    return null;
  }
}

/** A blocked host blocks its subdomains, not hosts that merely end in the same letters. */
export function hostIsUnder(host: string, blockedHost: string): boolean {
  return host === blockedHost || host.endsWith(`.${blockedHost}`);
}
