import { ClickHouseError, ClickHouseLogLevel, createClient, type ClickHouseClient } from "@clickhouse/client";
import { InsertError, QueryError } from "../errors.js";
import { ident, sql, type Sql } from "../sql/builder.js";
import { isRetriable } from "./classify.js";

/** Connection to ClickHouse. Defaults match libs/config's `clickhouse` section. */
export interface WarehouseOptions {
  /** HTTP URL. Default `http://127.0.0.1:8123`. */
  readonly url?: string;
  /** Database of the Seqlane tables. Default `seqlane`. */
  readonly database?: string;
  /** Default `default`. */
  readonly username?: string;
  /** Default empty. */
  readonly password?: string;
  /** Per-request timeout (ms). Default 30 000. */
  readonly requestTimeoutMs?: number;
  /** Sockets kept open. Default 10. */
  readonly maxOpenConnections?: number;
}

/**
 * The small surface Seqlane needs from ClickHouse, chosen to work on 18.16 and current
 * releases: JSONEachRow in and out, no server-side query parameters (values go through the
 * `sql` builder), no per-query settings (a readonly=1 user may not send any).
 */
export interface Warehouse {
  readonly database: string;
  /** Runs a SELECT and returns its rows (UInt64 arrive as strings: 18.16 quotes them). */
  query<T = Record<string, unknown>>(statement: Sql): Promise<T[]>;
  /** Runs a SELECT and yields its rows as they arrive, so a large result never sits in memory. */
  stream<T = Record<string, unknown>>(statement: Sql): AsyncGenerator<T>;
  /** Runs DDL or INSERT ... SELECT. */
  command(statement: Sql): Promise<void>;
  /** Inserts rows (objects keyed by column) into `table` of this database as JSONEachRow. */
  insert(table: string, rows: readonly object[]): Promise<void>;
  /** `CREATE DATABASE IF NOT EXISTS` for this database (sent without it selected). */
  createDatabase(): Promise<void>;
  /** True when ClickHouse answers /ping. Never throws. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
  /** The underlying client, for benchmarks and tests. */
  readonly client: ClickHouseClient;
}

export function createWarehouse(options: WarehouseOptions = {}): Warehouse {
  const database = options.database ?? "seqlane";
  ident(database); // validates
  const connect = (db: string): ClickHouseClient =>
    createClient({
      url: options.url ?? "http://127.0.0.1:8123",
      database: db,
      username: options.username ?? "default",
      password: options.password ?? "",
      request_timeout: options.requestTimeoutMs ?? 30_000,
      max_open_connections: options.maxOpenConnections ?? 10,
      // The client logs every failed request itself; we raise typed errors instead.
      log: { level: ClickHouseLogLevel.OFF },
    });
  const client = connect(database);
  const ping = async (): Promise<boolean> => {
    try {
      return (await client.ping()).success;
    } catch {
      return false;
    }
  };
  const fail = async (e: unknown): Promise<boolean> =>
    isRetriable(e, e instanceof ClickHouseError ? true : await ping());
  return {
    database,
    client,
    async query<T>(statement: Sql): Promise<T[]> {
      try {
        const rs = await client.query({ query: statement.text, format: "JSONEachRow" });
        return await rs.json<T>();
      } catch (e) {
        throw new QueryError(statement.text, { retriable: await fail(e), cause: e });
      }
    },
    async *stream<T>(statement: Sql): AsyncGenerator<T> {
      let rs;
      try {
        rs = await client.query({ query: statement.text, format: "JSONEachRow" });
      } catch (e) {
        throw new QueryError(statement.text, { retriable: await fail(e), cause: e });
      }
      for await (const rows of rs.stream()) for (const row of rows) yield row.json<T>();
    },
    async command(statement: Sql): Promise<void> {
      try {
        await client.command({ query: statement.text });
      } catch (e) {
        throw new QueryError(statement.text, { retriable: await fail(e), cause: e });
      }
    },
    async insert(table: string, rows: readonly object[]): Promise<void> {
      if (rows.length === 0) return;
      ident(table);
      try {
        await client.insert({ table, values: rows as object[], format: "JSONEachRow" });
      } catch (e) {
        throw new InsertError(table, rows.length, { retriable: await fail(e), cause: e });
      }
    },
    async createDatabase(): Promise<void> {
      // The HTTP interface refuses requests naming a database that does not exist yet.
      const boot = connect("default");
      const statement = sql`CREATE DATABASE IF NOT EXISTS ${ident(database)}`;
      try {
        await boot.command({ query: statement.text });
      } catch (e) {
        throw new QueryError(statement.text, { retriable: await fail(e), cause: e });
      } finally {
        await boot.close();
      }
    },
    ping,
    close: () => client.close(),
  };
}
