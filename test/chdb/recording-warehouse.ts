import type { ClickHouseClient } from "@clickhouse/client";
import { ident, sql, type Sql, type Warehouse } from "@seqlane/warehouse";

/** One statement of the comparison plan, run in order on both engines. */
export interface Step {
  /** `phase#n`, unique; names the step in the report. */
  readonly id: string;
  /** query: a SELECT whose rows are compared; command: DDL or INSERT ... SELECT; insert: JSONEachRow rows. */
  readonly kind: "query" | "command" | "insert";
  /** The database the statement is sent with (the HTTP `database` parameter; `USE` in chDB). */
  readonly database: string;
  readonly sql: string;
  /** insert only: the JSONEachRow body, one JSON object a line. */
  readonly rows?: string;
  /** query only: fail when both engines answer no rows (the data would not exercise it). */
  readonly mustHaveRows?: boolean;
}

/**
 * A Warehouse that records what libs/warehouse sends instead of sending it: the exact SQL
 * text after templating and retargeting, in call order, with the database it would go to.
 * `answer` plays the server for the few SELECTs whose result steers the caller (the applied
 * migrations, the labelling job's high-water mark); the real answers are compared later.
 */
export class RecordingWarehouse implements Warehouse {
  readonly steps: Step[] = [];
  private phase = "setup";
  private n = 0;

  constructor(
    readonly database: string,
    private readonly answer: (statement: string) => Record<string, unknown>[] = () => [],
  ) {}

  /** Names the steps recorded from now on (`phase#1`, `phase#2`, ...). */
  begin(phase: string): void {
    this.phase = phase;
    this.n = 0;
  }

  /** Records a step that is not sent by libs/warehouse (harness checks, analyst queries). */
  add(step: Omit<Step, "id" | "database"> & { id?: string; database?: string }): void {
    this.n += 1;
    this.steps.push({ database: this.database, id: `${this.phase}#${this.n}`, ...step });
  }

  async query<T>(statement: Sql): Promise<T[]> {
    this.add({ kind: "query", sql: statement.text });
    return this.answer(statement.text) as T[];
  }

  async command(statement: Sql): Promise<void> {
    this.add({ kind: "command", sql: statement.text });
  }

  /** What @clickhouse/client sends for `insert({ table, values, format: "JSONEachRow" })`. */
  async insert(table: string, rows: readonly object[]): Promise<void> {
    if (rows.length === 0) return;
    const body = rows.map((r) => JSON.stringify(r) + "\n").join("");
    this.add({ kind: "insert", sql: `INSERT INTO ${table} FORMAT JSONEachRow`, rows: body });
  }

  /** Sent to database `default`, as the real one does (libs/warehouse/src/client/warehouse.ts). */
  async createDatabase(): Promise<void> {
    this.add({
      kind: "command",
      sql: sql`CREATE DATABASE IF NOT EXISTS ${ident(this.database)}`.text,
      database: "default",
    });
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {}

  get client(): ClickHouseClient {
    throw new Error("RecordingWarehouse sends nothing: it has no client");
  }
}
