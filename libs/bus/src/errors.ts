/**
 * Thrown by a handler when retrying cannot help (the event refers to something that will never exist, a rule
 * rejects it): the message goes to the dead-letter subject at once instead of being redelivered.
 */
export class PermanentError extends Error {
  override name = "PermanentError";
}

/** An event that `publish` refuses to send because a consumer would dead-letter it. */
export class InvalidEventError extends Error {
  override name = "InvalidEventError";
  constructor(
    readonly subject: string,
    readonly reason: string,
  ) {
    super(`event for ${subject} is invalid: ${reason}`);
  }
}

/** Stream or consumer provisioning met a configuration it must not overwrite. */
export class ProvisioningError extends Error {
  override name = "ProvisioningError";
}
