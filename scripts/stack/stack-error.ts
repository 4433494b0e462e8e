/** An expected failure of a stack command: the CLI prints its message without a stack trace. */
export class StackError extends Error {
  override name = "StackError";
}
