import {
  ConfigErrors,
  dependenciesFromEnv,
  explainStartupError,
  telemetry as telemetrySpec,
  type Env,
} from "@seqlane/config";
import { createLogger, startTelemetry, type Logger, type Telemetry } from "@seqlane/telemetry";
import { loadAll, type SectionValues, type Sections } from "./config.js";

/** What a service's start function gets. */
export interface ServiceContext<S extends Sections> {
  /** Every section's values (and `telemetry`), already validated. */
  readonly cfg: SectionValues<S> & SectionValues<{ telemetry: typeof telemetrySpec }>;
  /** The service's logger, at SEQLANE_LOG_LEVEL. */
  readonly logger: Logger;
  readonly telemetry: Telemetry;
  /** Ends the process as a fatal error would (one line, exit 1): for a component that died for good. */
  fatal(e: unknown): void;
}

/** A started service: how to stop it cleanly. */
export interface RunningService {
  stop(): Promise<void>;
}

export interface ServiceDefinition<S extends Sections> {
  /** e.g. `seqlane-ingest`: the log's `service` and OpenTelemetry's service.name. */
  readonly name: string;
  /** The configuration sections it reads (libs/config). */
  readonly config: S;
  start(ctx: ServiceContext<S>): Promise<RunningService>;
  /** Defaults: process.env, process.exit, stderr. */
  readonly env?: Env;
  readonly exit?: (code: number) => void;
  readonly write?: (line: string) => void;
  /** Signals to install handlers for; default SIGINT and SIGTERM. */
  readonly signals?: readonly NodeJS.Signals[];
}

/** Exit codes: 0 stopped by a signal, 1 fatal error, 2 bad configuration, 130 a second signal. */
export const EXIT = { ok: 0, fatal: 1, config: 2, forced: 130 } as const;

/**
 * The one skeleton of ingest, scorer and recorder: configuration read with every error at once
 * (exit 2), the logger honouring SEQLANE_LOG_LEVEL, telemetry, SIGINT/SIGTERM stopping cleanly
 * (a second signal exits at once), and one clear line for a fatal error, at start-up or later
 * (an unhandled rejection or exception), naming the dependency and its variable when one is
 * unreachable (exit 1). Resolves once the service started.
 */
export async function runService<S extends Sections>(def: ServiceDefinition<S>): Promise<void> {
  const env = def.env ?? process.env;
  const exit = def.exit ?? ((code: number) => process.exit(code));
  const write = def.write ?? ((l: string) => void process.stderr.write(l));
  let cfg: ServiceContext<S>["cfg"];
  try {
    cfg = loadAll({ ...def.config, telemetry: telemetrySpec }, env) as ServiceContext<S>["cfg"];
  } catch (e) {
    if (!(e instanceof ConfigErrors)) throw e;
    write(`${def.name}: ${e.message}\n`);
    return exit(EXIT.config);
  }
  const logger = createLogger(def.name, cfg.telemetry.logLevel, write);
  const telemetry = startTelemetry({ serviceName: def.name, env });
  let running: RunningService | undefined;
  let stopping = false;

  const fatal = (e: unknown): void => {
    const why = explainStartupError(e, dependenciesFromEnv(env));
    logger.error(why ?? (e instanceof Error ? e.message : String(e)), {
      fatal: true,
      ...(why === undefined && e instanceof Error && e.stack !== undefined && { stack: e.stack }),
    });
    void telemetry.shutdown(2000).finally(() => exit(EXIT.fatal));
  };
  const stop = async (signal: string): Promise<void> => {
    if (stopping) {
      logger.warn("second signal, exiting without a clean stop", { signal });
      return exit(EXIT.forced);
    }
    stopping = true;
    logger.info("stopping", { signal });
    try {
      await running?.stop();
      logger.info("stopped");
    } catch (e) {
      logger.error("clean stop failed", { error: e instanceof Error ? e.message : String(e) });
    } finally {
      await telemetry.shutdown();
      exit(EXIT.ok);
    }
  };
  for (const s of def.signals ?? (["SIGINT", "SIGTERM"] as const)) process.on(s, () => void stop(s));
  process.on("unhandledRejection", fatal);
  process.on("uncaughtException", fatal);
  try {
    running = await def.start({ cfg, logger, telemetry, fatal });
  } catch (e) {
    fatal(e);
  }
}
