import { fileURLToPath } from "node:url";
import type { Options } from "@grpc/proto-loader";

/** The repository's `proto/` folder: the only source of every gRPC contract. */
export const PROTO_ROOT = fileURLToPath(new URL("../../../proto/", import.meta.url));

/**
 * proto-loader options, fixed once: the runtime loader and `scripts/proto-gen.sh` (through
 * `protoGenFlags`) both use these, so the generated types describe the objects seen at run time.
 */
export const PROTO_LOADER_OPTIONS = Object.freeze({
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_ROOT],
}) satisfies Options;

/** `proto-loader-gen-types` flags equivalent to PROTO_LOADER_OPTIONS (include dirs excepted). */
export function protoGenFlags(): string[] {
  const { keepCase, longs, enums, defaults, oneofs } = PROTO_LOADER_OPTIONS;
  return [
    ...(keepCase ? ["--keepCase"] : []),
    `--longs=${longs.name}`,
    `--enums=${enums.name}`,
    ...(defaults ? ["--defaults"] : []),
    ...(oneofs ? ["--oneofs"] : []),
  ];
}
