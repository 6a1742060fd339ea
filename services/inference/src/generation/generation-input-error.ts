/** A well-formed request the model cannot take (a prompt longer than its context): 400. */
export class GenerationInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GenerationInputError';
  }
}
