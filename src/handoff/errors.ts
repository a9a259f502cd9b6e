export class HandoffNotFoundError extends Error {
  constructor(conversationId: string) {
    super(`No hand-off for conversation ${conversationId}.`);
    this.name = 'HandoffNotFoundError';
  }
}

/** Another agent has it, or it is no longer in the state the action needs. */
export class HandoffConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HandoffConflictError';
  }
}
