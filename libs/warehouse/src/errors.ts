/**
 * Root of every error libs/warehouse throws. `retriable` says whether the same call may
 * succeed later (ClickHouse down, timeout); programmer and validation errors never are.
 */
export class WarehouseError extends Error {
  readonly retriable: boolean;
  constructor(message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "WarehouseError";
    this.retriable = options.retriable ?? false;
  }
}

/** A value or identifier was refused by the query builder; names what and why. */
export class InvalidSqlInputError extends WarehouseError {
  constructor(
    /** What was being built: `identifier`, `string literal`, `number literal`, ... */
    readonly kind: string,
    readonly value: unknown,
    readonly reason: string,
  ) {
    super(`invalid ${kind} ${JSON.stringify(String(value)).slice(0, 80)}: ${reason}`);
    this.name = "InvalidSqlInputError";
  }
}

/** ClickHouse refused or could not be reached for a statement. */
export class QueryError extends WarehouseError {
  constructor(
    readonly statement: string,
    options: { retriable: boolean; cause: unknown },
  ) {
    const why = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(
      `ClickHouse ${options.retriable ? "unavailable" : "rejected"}: ${why} (in: ${statement.slice(0, 120)})`,
      options,
    );
    this.name = "QueryError";
  }
}

/** An insert of `rows` rows into `table` failed. */
export class InsertError extends WarehouseError {
  constructor(
    readonly table: string,
    readonly rows: number,
    options: { retriable: boolean; cause: unknown },
  ) {
    const why = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(`insert of ${rows} rows into ${table} failed: ${why}`, options);
    this.name = "InsertError";
  }
}

/** A migration file is malformed, or an applied migration's file changed since. */
export class MigrationError extends WarehouseError {
  constructor(
    readonly file: string,
    reason: string,
    cause?: unknown,
  ) {
    super(`migration ${file}: ${reason}`, { cause });
    this.name = "MigrationError";
  }
}
