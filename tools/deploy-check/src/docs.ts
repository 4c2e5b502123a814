import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import type { Problem } from "./problem.ts";

/** The README is for users; the design, measurements and long reference live in docs/. */
export const README_MAX_LINES = 200;
export const ARCHITECTURE_DOC = "docs/architecture.md";

/**
 * A design document outside the repository (the first sketch lived beside the clone): a clone does not have it and
 * edits there are lost. docs/architecture.md is the design.
 */
const OUTSIDE_DESIGN = /(?:\.\.\/|\/work\/)shared\b/;

/** Files larger than this are data, not text anyone points at a design from. */
const MAX_SCANNED_BYTES = 2 * 1024 * 1024;

/** A Markdown file as the checks read it: its path from the repository root and its text. */
export interface TextFile {
  path: string;
  text: string;
}

/** Inline Markdown links and images: `[text](target)` and `![alt](target "title")`. */
export function markdownLinks(text: string): { target: string; line: number }[] {
  const links: { target: string; line: number }[] = [];
  text.split("\n").forEach((content, index) => {
    for (const match of content.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      links.push({ target: match[1] as string, line: index + 1 });
    }
  });
  return links;
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as "-". */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replaceAll(" ", "-");
}

export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) anchors.add(headingAnchor(heading[1] as string));
  }
  return anchors;
}

const EXTERNAL = /^[a-z][a-z0-9+.-]*:/i;

/**
 * Relative links of a Markdown file whose target is missing. With `anchors`, a `file.md#anchor` link must also name
 * a heading of that file (`readFile` gives its text).
 */
export function brokenLinks(
  file: TextFile,
  exists: (path: string) => boolean,
  anchors?: { readFile(path: string): string },
): Problem[] {
  const problems: Problem[] = [];
  for (const { target, line } of markdownLinks(file.text)) {
    if (EXTERNAL.test(target) || target.startsWith("#")) continue;
    const [pathPart = "", anchor] = target.split("#", 2);
    const path = normalize(join(dirname(file.path), decodeURIComponent(pathPart)));
    const at = `line ${line}`;
    if (path.startsWith("..")) {
      problems.push({ file: file.path, at, message: `link ${target} leaves the repository` });
    } else if (!exists(path)) {
      problems.push({ file: file.path, at, message: `link ${target}: ${path} does not exist` });
    } else if (anchors && anchor && path.endsWith(".md") && !headingAnchors(anchors.readFile(path)).has(anchor)) {
      problems.push({
        file: file.path,
        at,
        message: `link ${target}: ${path} has no heading with the anchor #${anchor}`,
      });
    }
  }
  return problems;
}

/**
 * README.md stays short and points at the design: at most README_MAX_LINES lines, a link to docs/architecture.md, and
 * every relative link (and its anchor) pointing at something that exists.
 */
export function readmeProblems(
  readme: TextFile,
  exists: (path: string) => boolean,
  readFile: (path: string) => string,
): Problem[] {
  const problems: Problem[] = [];
  const lines = readme.text.endsWith("\n") ? readme.text.split("\n").length - 1 : readme.text.split("\n").length;
  if (lines > README_MAX_LINES) {
    problems.push({
      file: readme.path,
      at: "",
      message: `${lines} lines, at most ${README_MAX_LINES}: move reference and measurements into docs/`,
    });
  }
  if (!markdownLinks(readme.text).some(({ target }) => target.split("#")[0] === ARCHITECTURE_DOC)) {
    problems.push({ file: readme.path, at: "", message: `no link to ${ARCHITECTURE_DOC}, the design` });
  }
  problems.push(...brokenLinks(readme, exists, { readFile }));
  return problems;
}

/** Lines that point at a design document outside the repository instead of docs/architecture.md. */
export function outsideDesignReferences(files: readonly TextFile[]): Problem[] {
  const problems: Problem[] = [];
  for (const file of files) {
    file.text.split("\n").forEach((line, index) => {
      const match = OUTSIDE_DESIGN.exec(line);
      if (match) {
        problems.push({
          file: file.path,
          at: `line ${index + 1}`,
          message: `refers to ${match[0]}, outside the repository: point to ${ARCHITECTURE_DOC} instead`,
        });
      }
    });
  }
  return problems;
}

/** The repository's files as git sees them (tracked, and untracked ones it does not ignore), text files only. */
export function repositoryTextFiles(root: string): TextFile[] {
  const listing = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const files: TextFile[] = [];
  for (const path of listing.split("\0")) {
    if (path === "") continue;
    const full = join(root, path);
    if (!existsSync(full)) continue; // deleted in the working tree
    const stat = statSync(full);
    if (!stat.isFile() || stat.size > MAX_SCANNED_BYTES) continue;
    const bytes = readFileSync(full);
    if (bytes.includes(0)) continue; // binary
    files.push({ path, text: bytes.toString("utf8") });
  }
  return files;
}

/** Every documentation check over the repository at `root`: the README, the links of docs/, references outside. */
export function documentationProblems(root: string): Problem[] {
  const exists = (path: string) => existsSync(join(root, path));
  const readFile = (path: string) => readFileSync(join(root, path), "utf8");
  const files = repositoryTextFiles(root);
  const readme = files.find((file) => file.path === "README.md") ?? { path: "README.md", text: "" };
  const docs = files.filter((file) => /^docs\/[^/]+\.md$/.test(file.path));
  const problems = readmeProblems(readme, exists, readFile);
  if (!exists(ARCHITECTURE_DOC)) problems.push({ file: ARCHITECTURE_DOC, at: "", message: "is missing" });
  return [...problems, ...docs.flatMap((file) => brokenLinks(file, exists)), ...outsideDesignReferences(files)];
}
