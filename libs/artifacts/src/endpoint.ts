export interface S3Endpoint {
  endPoint: string;
  port: number;
  useSSL: boolean;
}

export class InvalidEndpointError extends Error {
  override name = "InvalidEndpointError";
  constructor(
    readonly value: unknown,
    reason: string,
  ) {
    // Credentials have no place in the endpoint; if someone put them there, keep them out of the message.
    const shown = typeof value === "string" ? value.replace(/\/\/[^/@]*@/, "//***@") : value;
    super(`S3 endpoint ${JSON.stringify(shown)}: ${reason}; expected e.g. http://127.0.0.1:9000`);
  }
}

/** Splits `http(s)://host[:port]` into what the minio client wants. */
export function parseS3Endpoint(value: string): S3Endpoint {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidEndpointError(value, "not a URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InvalidEndpointError(value, "the scheme must be http or https");
  }
  if (url.pathname !== "/" || url.search || url.hash || url.username) {
    throw new InvalidEndpointError(value, "only scheme, host and port are allowed");
  }
  const useSSL = url.protocol === "https:";
  // URL keeps IPv6 hosts in brackets; the minio client wants them bare.
  const endPoint = url.hostname.replace(/^\[(.*)\]$/, "$1");
  return { endPoint, port: url.port ? Number(url.port) : useSSL ? 443 : 80, useSSL };
}
