import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The stack's read-only user (infra/clickhouse/config/users.xml.template). */
export const ANALYST_USER = process.env.SEQLANE_ANALYST_USER ?? "seqlane_analyst";

/**
 * seqlane_analyst's password, found the way `stack:up` sets it: SEQLANE_ANALYST_PASSWORD, else
 * the file it generated, `<SEQLANE_STACK_DIR or .stack>/clickhouse/analyst.password`.
 */
export function analystPassword(): string {
  const fromEnv = process.env.SEQLANE_ANALYST_PASSWORD;
  if (fromEnv) return fromEnv;
  const file = join(process.env.SEQLANE_STACK_DIR ?? join(ROOT, ".stack"), "clickhouse", "analyst.password");
  if (!existsSync(file))
    throw new Error(
      `no seqlane_analyst password: set SEQLANE_ANALYST_PASSWORD or run npm run stack:up (writes ${file})`,
    );
  return readFileSync(file, "utf8").trim();
}
