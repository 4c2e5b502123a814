/**
 * A variable is secret when its name contains SECRET, PASS (PASSWORD), TOKEN or KEY.
 * ACCESS_KEY is the public half of an S3 key pair, so it is shown.
 */
const SECRET_NAME = /SECRET|PASS|TOKEN|KEY/i;
const PUBLIC_KEY_NAME = /ACCESS_KEY/i;

export const MASK = "***";

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name.replace(PUBLIC_KEY_NAME, ""));
}

/** `postgres://gyre:hunter2@db/gyre` → `postgres://gyre:***@db/gyre`; the rest of the text is kept as written. */
export function maskUrlCredentials(value: string): string {
  // scheme://user:password@host… — the password ends at the last "@" before the path.
  const match = /^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*:)([^/?#]*)(@[^@/?#]*(?:[/?#].*)?)$/is.exec(value);
  if (!match || match[2] === "") return value;
  return `${match[1]}${MASK}${match[3]}`;
}

/** How a variable's value may appear in messages and logs. */
export function displayValue(name: string, value: string): string {
  return isSecretName(name) ? MASK : maskUrlCredentials(value);
}

/** The password inside `scheme://user:password@host…`, as written (percent-encoded); undefined when there is none. */
export function urlPassword(value: string): string | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^:/?#@]*:([^/?#]*)@[^@/?#]*(?:[/?#].*)?$/is.exec(value.trim());
  return match?.[1] === "" ? undefined : match?.[1];
}

/**
 * The credential values of a parsed configuration, for a logger to scrub from every line: the values of secret
 * variables (not the `*_TLS_KEY` paths) and the passwords inside URL values (comma-separated lists too), both as
 * written and percent-decoded.
 */
export function secretValues(config: Record<string, unknown>): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(config)) {
    if (typeof value !== "string" || value === "") continue;
    if (isSecretName(name) && !name.includes("_TLS_")) {
      values.add(value);
      continue;
    }
    for (const part of value.split(",")) {
      const password = urlPassword(part);
      if (password === undefined) continue;
      values.add(password);
      try {
        values.add(decodeURIComponent(password));
      } catch {
        // not valid percent-encoding: the password as written is all there is
      }
    }
  }
  return [...values];
}

/**
 * `scheme://user:password@` anywhere in a text (an error message quoting a connection string, a list of URLs): each
 * password becomes ***. A password ends at whitespace, a quote, a backslash (JSON escapes), "," or the URL's next part.
 */
// The scheme is bounded: unbounded, a long run of letters (a 200 kB name quoted in a reason) made every start position
// scan to its end, and one log line took minutes.
const URL_PASSWORD_IN_TEXT = /([a-z][a-z0-9+.-]{0,31}:\/\/[^\s:/?#@"'\\,]*:)[^\s/?#@"'\\,]+@/gi;

export function maskUrlPasswords(text: string): string {
  return text.includes("://") ? text.replace(URL_PASSWORD_IN_TEXT, `$1${MASK}@`) : text;
}
