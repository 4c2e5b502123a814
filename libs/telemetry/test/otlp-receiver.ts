import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A minimal OTLP/HTTP trace receiver for tests: it keeps every protobuf request body. Span names, attribute
 * values and the service name are plain UTF-8 strings inside the protobuf, so a test can look for them in the
 * raw bytes without decoding.
 */
export async function startOtlpReceiver() {
  const bodies: Buffer[] = [];
  const paths: string[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      paths.push(request.url ?? "");
      bodies.push(Buffer.concat(chunks));
      response.writeHead(200, { "content-type": "application/x-protobuf" });
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    paths,
    /** Everything received so far, as one latin1 string to search in. */
    received: () => Buffer.concat(bodies).toString("latin1"),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
