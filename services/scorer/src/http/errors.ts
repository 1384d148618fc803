/**
 * Root error of the scorer's HTTP layer: a status, a stable code, and for validation errors the
 * request field at fault. `retriable` mirrors whether the client may retry as is (503, 504).
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly retryAfterS?: number,
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
