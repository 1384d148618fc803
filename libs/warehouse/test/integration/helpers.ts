import { fileURLToPath } from "node:url";
import { createWarehouse, ident, migrate, sql, type Warehouse } from "../../src/index.js";

export const CLICKHOUSE_URL = process.env.SEQLANE_CLICKHOUSE_URL ?? "http://127.0.0.1:8123";
export const MIGRATIONS = fileURLToPath(new URL("../../../../infra/clickhouse", import.meta.url));

/** A migrated database of its own, dropped by `drop()`. */
export async function freshDatabase(tag: string): Promise<{ wh: Warehouse; drop(): Promise<void> }> {
  const database = `t_${tag}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const wh = createWarehouse({ url: CLICKHOUSE_URL, database });
  await migrate(wh, { dir: MIGRATIONS });
  return {
    wh,
    async drop() {
      const admin = createWarehouse({ url: CLICKHOUSE_URL, database: "default" });
      await admin.command(sql`DROP DATABASE IF EXISTS ${ident(database)}`);
      await admin.close();
      await wh.close();
    },
  };
}
