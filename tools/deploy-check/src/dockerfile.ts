/** One Dockerfile instruction, continuation lines joined, with the body of its heredoc when it has one. */
export interface Instruction {
  keyword: string;
  args: string;
  line: number;
  /** The build stage it belongs to: the `AS` name of the last FROM, or its index. */
  stage: string;
  heredoc?: string;
}

/**
 * Reads a Dockerfile into instructions: comments and parser directives skipped, `\` continuations joined, and
 * `<<'EOF'` … `EOF` heredocs (BuildKit's syntax) attached to the instruction that opens them.
 */
export function parseDockerfile(text: string): Instruction[] {
  const lines = text.split("\n");
  const instructions: Instruction[] = [];
  let stage = "";
  let stages = 0;
  for (let index = 0; index < lines.length; index++) {
    const first = index;
    let line = lines[index] ?? "";
    if (/^\s*(#.*)?$/.test(line)) continue;
    while (line.endsWith("\\") && index + 1 < lines.length) {
      index++;
      const next = lines[index] ?? "";
      if (/^\s*#/.test(next)) continue;
      line = `${line.slice(0, -1)} ${next.trim()}`;
    }
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!match?.[1]) throw new Error(`Dockerfile line ${first + 1}: ${JSON.stringify(line)} is no instruction`);
    const keyword = match[1].toUpperCase();
    const args = (match[2] ?? "").trim();
    if (keyword === "FROM") stage = /\sAS\s+(\S+)$/i.exec(args)?.[1] ?? String(stages);
    if (keyword === "FROM") stages++;
    const instruction: Instruction = { keyword, args, line: first + 1, stage };
    const delimiter = /<<-?(['"]?)([A-Za-z_]+)\1/.exec(args)?.[2];
    if (delimiter) {
      const body: string[] = [];
      while (++index < lines.length && lines[index] !== delimiter) body.push(lines[index] ?? "");
      instruction.heredoc = `${body.join("\n")}\n`;
    }
    instructions.push(instruction);
  }
  return instructions;
}

/** `ARG NAME=default` values, first definition wins. */
export function argDefaults(instructions: readonly Instruction[]): Map<string, string> {
  const defaults = new Map<string, string>();
  for (const { keyword, args } of instructions) {
    const match = keyword === "ARG" ? /^([A-Za-z_][A-Za-z0-9_]*)=("?)(.*)\2$/.exec(args) : null;
    if (match?.[1] && !defaults.has(match[1])) defaults.set(match[1], match[3] ?? "");
  }
  return defaults;
}

/** The body of the heredoc that a `COPY <<'EOF' <destination>` writes. */
export function copiedHeredoc(instructions: readonly Instruction[], destination: string): string | undefined {
  return instructions.find(
    (instruction) =>
      instruction.keyword === "COPY" && instruction.heredoc && instruction.args.endsWith(` ${destination}`),
  )?.heredoc;
}

/** The stage names in order; the last one is the image that runs. */
export function stageNames(instructions: readonly Instruction[]): string[] {
  return [...new Set(instructions.map((instruction) => instruction.stage))];
}
