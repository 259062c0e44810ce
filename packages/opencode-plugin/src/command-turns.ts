/**
 * The turns that answer the user's own slash commands (`/grade`, `/bug`, `/reinstate`,
 * `/tracker`): the agent only acknowledges what the tracker did, so the turn is no setup's work
 * and records no message, cost or command. A turn is known by its user message: the first one a
 * session sends after the command hook ran; the assistant's replies name it as their parent.
 */
export class CommandTurns {
  readonly #expecting = new Set<string>()
  readonly #messages = new Set<string>()

  /** The user gave one of the tracker's slash commands in this session: its turn comes next. */
  expect(sessionID: string): void {
    this.#expecting.add(sessionID)
  }

  /** True when this user message starts the turn of a slash command (the first after {@link expect}, or one seen before). */
  claim(sessionID: string, messageID: string): boolean {
    if (this.#expecting.delete(sessionID)) this.#messages.add(messageID)
    return this.#messages.has(messageID)
  }

  /** True for an assistant message that answers a slash command's turn (its parent is that turn's user message). */
  answers(parentID: string | undefined): boolean {
    return parentID !== undefined && this.#messages.has(parentID)
  }

  /** The session went idle: a command turn that never started will not now. */
  settle(sessionID: string): void {
    this.#expecting.delete(sessionID)
  }
}
