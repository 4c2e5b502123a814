import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type KnownSecret, scanOutputs } from "./scanner.ts";

const planted: KnownSecret = { name: "PG password", value: 'pl4nted/Secret+"quoted"&=' };
const other: KnownSecret = { name: "S3 secret key", value: "another-known-secret-0042" };

function scan(logs: Record<string, unknown>[], text: string[] = []) {
  return scanOutputs([{ source: "svc", logs, text }], [planted, other]);
}

describe("secret scanner", () => {
  it("finds a planted secret in a JSON field, a message, a stack and a text line", () => {
    const lines = [
      { level: "info", msg: "clean" },
      { level: "error", err: { stack: `Error: auth failed with ${planted.value}\n    at x` } },
    ];
    const result = scan(lines, ["plain text", `stderr: ${other.value}`]);
    assert.deepEqual(
      result.findings.map(({ secret, encoding, source }) => ({ secret, encoding, source })),
      [
        { secret: "PG password", encoding: "plain", source: "svc log line 2" },
        { secret: "PG password", encoding: "json-escaped", source: "svc log line 2" },
        { secret: "S3 secret key", encoding: "plain", source: "svc text line 2" },
      ],
    );
    assert.equal(result.lines, 4);
    for (const finding of result.findings) assert.ok(!finding.excerpt.includes(planted.value));
  });

  it("finds it percent-encoded inside a connection string", () => {
    const url = `postgres://postgres:${encodeURIComponent(planted.value)}@127.0.0.1:5432/postgres`;
    const result = scan([{ msg: "connecting", target: url }]);
    assert.deepEqual(
      result.findings.map((finding) => finding.encoding),
      ["percent-encoded"],
    );
  });

  it("finds it base64-encoded wherever it starts, as in a Basic authorization header", () => {
    for (const user of ["u", "us", "usr", "user"]) {
      const header = `Basic ${Buffer.from(`${user}:${other.value}`).toString("base64")}`;
      const result = scan([], [`authorization: ${header}`]);
      assert.ok(
        result.findings.some((finding) => finding.secret === "S3 secret key" && finding.encoding === "base64"),
        `user ${user}: ${header}`,
      );
    }
    const url = Buffer.from(`x${planted.value}`).toString("base64url");
    // base64url differs from base64 only where "+" or "/" appear; the scanner names the first form that matches.
    assert.ok(scan([{ token: url }]).findings.some((finding) => finding.encoding.startsWith("base64")));
  });

  it("finds nothing in output that carries no secret, masked URLs included", () => {
    const result = scan(
      [{ msg: "db connected", url: "postgres://postgres:***@127.0.0.1:5432/postgres", secret: "[Redacted]" }],
      ["started"],
    );
    assert.deepEqual(result.findings, []);
    assert.equal(result.lines, 2);
  });
});
