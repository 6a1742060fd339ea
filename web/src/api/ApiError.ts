/** A failed call, with a message fit to show the player. `status` 0: the server was not reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Worth trying again as is: the server was busy or not reached, rather than refusing. */
  get transient(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

const fallbackMessages: Record<number, string> = {
  404: 'That was not found on the server.',
  409: 'That tweet was already guessed.',
  410: 'That tweet expired before your guess. Try a new one.',
  429: 'Too many requests. Wait a moment and try again.',
  503: 'The server is busy. Try again in a moment.',
};

export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, 'Could not reach the server. Check your connection and try again.');
}

export async function apiErrorFrom(response: Response): Promise<ApiError> {
  let message: string | undefined;
  try {
    const body = (await response.json()) as { message?: unknown };
    // Nest sends validation failures as a list of messages.
    if (typeof body.message === 'string') message = body.message;
    else if (Array.isArray(body.message)) message = body.message.join('; ');
  } catch {
    // A proxy's HTML error page: fall back to a message of our own.
  }
  return new ApiError(response.status, message ?? fallbackMessages[response.status] ?? `The server answered ${response.status}.`);
}
