/** A mistake in how trailwatch was called or configured: printed without a stack trace, exit code 1. */
export class UsageError extends Error {
  override name = "UsageError";
}
