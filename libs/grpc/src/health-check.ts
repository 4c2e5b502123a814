import * as grpc from "@grpc/grpc-js";
import { service as healthService } from "grpc-health-check";

type Check = (
  request: { service: string },
  options: grpc.CallOptions,
  callback: (error: grpc.ServiceError | null, response?: { status: string }) => void,
) => void;

const HealthClient = grpc.makeGenericClientConstructor(healthService, "grpc.health.v1.Health");

/**
 * One `grpc.health.v1.Health/Check` of `service` ("" is the whole server) at `address`: resolves with the status
 * (`SERVING`, `NOT_SERVING`, ...), rejects with the grpc.ServiceError (UNAVAILABLE when the connection or the TLS
 * handshake fails, DEADLINE_EXCEEDED after `deadlineMs`).
 */
export function checkHealth(
  address: string,
  credentials: grpc.ChannelCredentials,
  service = "",
  deadlineMs = 5000,
): Promise<string> {
  const client = new HealthClient(address, credentials) as unknown as grpc.Client & { Check: Check };
  return new Promise<string>((resolve, reject) => {
    client.Check({ service }, { deadline: Date.now() + deadlineMs }, (error, response) =>
      error ? reject(error) : resolve(String(response?.status)),
    );
  }).finally(() => client.close());
}
