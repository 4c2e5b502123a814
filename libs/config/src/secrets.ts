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
