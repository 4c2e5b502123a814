import type { TlsOptions } from "@nats-io/transport-node";

export interface NatsTlsEnv {
  NATS_TLS_CA?: string | undefined;
  NATS_TLS_CERT?: string | undefined;
  NATS_TLS_KEY?: string | undefined;
}

/** TLS options for connectBus from NATS_TLS_* (PEM file paths); none when no variable is set. */
export function natsTlsOptions(env: NatsTlsEnv): { tls?: TlsOptions } {
  if (!env.NATS_TLS_CA && !env.NATS_TLS_CERT && !env.NATS_TLS_KEY) return {};
  return {
    tls: {
      ...(env.NATS_TLS_CA ? { caFile: env.NATS_TLS_CA } : {}),
      ...(env.NATS_TLS_CERT ? { certFile: env.NATS_TLS_CERT } : {}),
      ...(env.NATS_TLS_KEY ? { keyFile: env.NATS_TLS_KEY } : {}),
    },
  };
}
