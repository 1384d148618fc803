/**
 * Root error of the scorer's HTTP layer: a status, a stable code, and for validation errors the
 * request field at fault. `retriable` mirrors whether the client may retry as is (503, 504).
 * `closeConnection`: the request's body was left unread part way (too large, too slow, refused
 * while arriving), so the answer ends the connection instead of reading on for keep-alive.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly retryAfterS?: number,
    readonly closeConnection = false,
  ) {
    super(message);
    this.name = new.target.name;
  }

  get retriable(): boolean {
    return this.status === 503 || this.status === 504;
  }

  toJSON(): { error: { code: string; message: string; field?: string } } {
    return {
      error: { code: this.code, message: this.message, ...(this.field === undefined ? {} : { field: this.field }) },
    };
  }
}

/** A request body that breaks the API contract: 400 naming the field, its problem, the expected shape. */
export class ValidationError extends HttpError {
  constructor(field: string, problem: string) {
    super(400, "invalid_request", `${field}: ${problem}`, field);
  }
}

/**
 * The client closed the connection before it was answered. Never sent (there is no one to send
 * it to); 499 is nginx's "client closed request", kept so the error still has a status. Counted
 * as an abort, not a failure of ours.
 */
export class ClientAbortError extends HttpError {
  constructor() {
    super(499, "client_closed_request", "the client closed the connection before the answer");
  }
}
