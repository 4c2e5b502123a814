/** The dataset or snapshot a call names does not exist; gRPC NOT_FOUND. */
export class NotFoundError extends Error {
  override name = "NotFoundError";
}

/** A call's arguments are wrong; gRPC INVALID_ARGUMENT. */
export class InvalidArgumentError extends Error {
  override name = "InvalidArgumentError";
}
