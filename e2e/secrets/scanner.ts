import type { LogLine } from "@gyre/testkit";

/** A credential the test knows and that must never appear in any output. */
export interface KnownSecret {
  name: string;
  value: string;
}

/** One form a secret can take in a log: as written, percent-encoded, JSON-escaped, base64. */
export interface SecretForm {
  secret: string;
  encoding: string;
  text: string;
}

export interface SecretFinding {
  secret: string;
  encoding: string;
  source: string;
  /** The found form with 40 characters around it, the secret itself replaced by <SECRET>. */
  excerpt: string;
}

/**
 * The parts of base64(secret) that do not depend on what precedes the secret: base64 packs 3 bytes into 4
 * characters, so a secret embedded at byte offset 0, 1 or 2 of a larger value (`user:password` in a Basic
 * authorization header) encodes differently; the characters made only of the secret's own bytes are the same
 * wherever it starts in that group.
 */
function base64Cores(value: string, alphabet: "base64" | "base64url"): string[] {
  const bytes = Buffer.from(value, "utf8");
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes])
      .toString(alphabet)
      .replace(/=+$/, "");
    // Skip the first group when it mixes in the padding bytes, and the last characters that mix in what follows.
    const start = offset === 0 ? 0 : 4;
    const usableBytes = Math.floor((offset + bytes.length) / 3) * 3;
    const end = (usableBytes / 3) * 4;
    const core = encoded.slice(start, end);
    if (core.length >= 8) cores.push(core);
  }
  return cores;
}

export function secretForms(secrets: readonly KnownSecret[]): SecretForm[] {
  const forms: SecretForm[] = [];
  for (const { name, value } of secrets) {
    const add = (encoding: string, text: string) => {
      if (!forms.some((form) => form.text === text)) forms.push({ secret: name, encoding, text });
    };
    add("plain", value);
    add("percent-encoded", encodeURIComponent(value));
    add("form-encoded", new URLSearchParams({ v: value }).toString().slice(2));
    add("json-escaped", JSON.stringify(value).slice(1, -1));
    for (const core of base64Cores(value, "base64")) add("base64", core);
    for (const core of base64Cores(value, "base64url")) add("base64url", core);
  }
  return forms;
}

function excerpt(text: string, at: number, form: string): string {
  return `${text.slice(Math.max(0, at - 40), at)}<SECRET>${text.slice(at + form.length, at + form.length + 40)}`;
}

/** Every place in `text` where a form of a secret appears. */
export function findSecrets(text: string, forms: readonly SecretForm[], source: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const form of forms) {
    const at = text.indexOf(form.text);
    if (at >= 0)
      findings.push({ secret: form.secret, encoding: form.encoding, source, excerpt: excerpt(text, at, form.text) });
  }
  return findings;
}

/** Every string in a parsed JSON line, keys too: JSON.parse has undone the escapes a secret might hide behind. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, out);
  else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      out.push(key);
      strings(item, out);
    }
  }
  return out;
}

export interface ProcessOutput {
  source: string;
  /** Parsed JSON log lines. */
  logs?: readonly LogLine[];
  /** Raw text: lines that were not JSON, or a whole stream. */
  text?: readonly string[];
}

export interface ScanResult {
  findings: SecretFinding[];
  /** How many lines and how many characters were searched, so a test can tell that it searched something. */
  lines: number;
  characters: number;
}

/** Searches each JSON line (as serialized and every decoded string in it) and each text line for every form. */
export function scanOutputs(outputs: readonly ProcessOutput[], secrets: readonly KnownSecret[]): ScanResult {
  const forms = secretForms(secrets);
  const findings: SecretFinding[] = [];
  let lines = 0;
  let characters = 0;
  const search = (text: string, source: string) => {
    characters += text.length;
    findings.push(...findSecrets(text, forms, source));
  };
  for (const { source, logs = [], text = [] } of outputs) {
    for (const [index, line] of logs.entries()) {
      lines++;
      search([JSON.stringify(line), ...strings(line)].join("\n"), `${source} log line ${index + 1}`);
    }
    for (const [index, line] of text.entries()) {
      lines++;
      search(line, `${source} text line ${index + 1}`);
    }
  }
  return { findings, lines, characters };
}

export function describeFindings(findings: readonly SecretFinding[]): string {
  return findings
    .slice(0, 20)
    .map((finding) => `${finding.secret} (${finding.encoding}) in ${finding.source}: ${finding.excerpt}`)
    .join("\n");
}
