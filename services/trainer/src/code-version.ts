import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/**
 * The version of the trainer's code, recorded with every run: GYRE_CODE_VERSION when set (container images set
 * it at build, as they carry no .git), else the git commit of the checkout (with "-dirty" for uncommitted
 * changes), else `@gyre/trainer@<package version>`.
 */
export function codeVersion(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.GYRE_CODE_VERSION?.trim();
  if (fromEnv) return fromEnv;
  return gitCommit() ?? `@gyre/trainer@${packageVersion()}`;
}

function gitCommit(): string | null {
  const cwd = new URL(".", import.meta.url);
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd, encoding: "utf8", timeout: 5000, stdio: ["ignore", "pipe", "ignore"] }).trim();
  try {
    const commit = git("rev-parse", "HEAD");
    const dirty = git("status", "--porcelain", "--untracked-files=no").length > 0;
    return /^[0-9a-f]{40}$/.test(commit) ? `${commit}${dirty ? "-dirty" : ""}` : null;
  } catch {
    return null; // no git, or not a checkout
  }
}

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version?: string;
  };
  return manifest.version ?? "0.0.0";
}
