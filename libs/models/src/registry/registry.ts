import { readdir, stat } from "node:fs/promises";
import type { RoutingState } from "@seqlane/contracts";
import { join } from "node:path";
import type { BatcherOptions } from "../batcher/batcher.js";
import { ModelLoadError } from "../errors.js";
import { consoleLogger, type Logger } from "../logger.js";
import { modelMetrics } from "../metrics.js";
import type { LoadedModel } from "../model/model.js";
import type { SessionConfig } from "../session/open.js";
import { loadVersion } from "./load.js";
import { readRouting, routingPath, ROUTING_FILE } from "../routing/file.js";
import { compareVersions } from "./versions.js";

export interface RegistryOptions {
  /** Directory of `<name>/<version>/{model.onnx, manifest.json}`. */
  readonly dir: string;
  /** Scan interval (ms); 0 disables polling (call `scan()` yourself). Default 2000. */
  readonly pollMs?: number;
  readonly session?: SessionConfig;
  /** Micro-batching per loaded version. Default {maxRows: 2048, maxWaitMs: 2, enabled: true}. */
  readonly batching?: BatcherOptions;
  /** How long a replaced or removed version stays open for requests already holding it (ms). Default 30000. */
  readonly releaseGraceMs?: number;
  readonly logger?: Logger;
}

/** The last failure of a version directory; kept until its files change. */
export interface LoadFailure {
  readonly model: string;
  readonly version: string;
  readonly stage: string;
  readonly error: string;
  readonly at: string;
}

interface Entry {
  readonly model: LoadedModel;
  readonly signature: string;
}

async function signature(dir: string): Promise<string | undefined> {
  try {
    const [m, j] = await Promise.all([stat(join(dir, "model.onnx")), stat(join(dir, "manifest.json"))]);
    return `${m.mtimeMs}:${m.size}:${j.mtimeMs}:${j.size}`;
  } catch {
    return undefined; // incomplete version directory: not yet
  }
}

async function subdirs(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() && !e.name.startsWith(".")).map((e) => e.name);
  } catch {
    return [];
  }
}

/**
 * Model versions read from a directory and kept current by polling. A new or changed version is
 * loaded, warmed up and checked before it is swapped in (a map replacement, so readers see
 * either the old or the new version, never half of one); a version that fails leaves whatever
 * served before serving, with the error logged, counted and listed in `failures()`.
 */
export class ModelRegistry {
  private readonly byName = new Map<string, Map<string, Entry>>();
  private readonly failed = new Map<string, { signature: string; failure: LoadFailure }>();
  /** routing.json per model, with the signature (inode:mtime:size) it was read at. */
  private readonly routes = new Map<string, { state: RoutingState; signature: string }>();
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: RegistryOptions) {
    this.logger = options.logger ?? consoleLogger;
  }

  /** Scans once (loading what is there), then polls. */
  async start(): Promise<void> {
    await this.scan();
    const every = this.options.pollMs ?? 2000;
    if (every > 0 && !this.closed) {
      this.timer = setInterval(() => void this.scan(), every);
      this.timer.unref();
    }
  }

  /** One pass over the directory; concurrent calls share the pass in progress. */
  scan(): Promise<void> {
    this.scanning ??= this.scanOnce().finally(() => (this.scanning = undefined));
    return this.scanning;
  }

  /** True once at least one version serves. */
  get ready(): boolean {
    for (const versions of this.byName.values()) if (versions.size > 0) return true;
    return false;
  }

  names(): string[] {
    return [...this.byName.keys()].filter((n) => (this.byName.get(n)?.size ?? 0) > 0).sort();
  }

  /** Loaded versions of a model, oldest first (newest last). */
  versions(name: string): LoadedModel[] {
    const versions = this.byName.get(name);
    if (versions === undefined) return [];
    return [...versions.values()].map((e) => e.model).sort((a, b) => compareVersions(a.version, b.version));
  }

  /** A version, or the newest when `version` is absent. */
  get(name: string, version?: string): LoadedModel | undefined {
    if (version !== undefined) return this.byName.get(name)?.get(version)?.model;
    return this.versions(name).at(-1);
  }

  /**
   * The model's routing.json as last read and checked (undefined: none). An invalid file keeps the
   * previous state and is listed in `failures()` (version `routing.json`, stage `routing`).
   */
  routing(name: string): RoutingState | undefined {
    return this.routes.get(name)?.state;
  }

  failures(): LoadFailure[] {
    return [...this.failed.values()].map((f) => f.failure);
  }

  /** Rows queued or running across all versions. */
  get pendingRows(): number {
    let n = 0;
    for (const versions of this.byName.values()) for (const e of versions.values()) n += e.model.pendingRows;
    return n;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.scanning?.catch(() => undefined);
    const all = [...this.byName.values()].flatMap((v) => [...v.values()]);
    this.byName.clear();
    await Promise.all(all.map((e) => e.model.release().catch(() => undefined)));
  }

  private async scanOnce(): Promise<void> {
    const seen = new Set<string>();
    const names = await subdirs(this.options.dir);
    for (const name of names) {
      await this.considerRouting(name, seen);
      for (const version of await subdirs(join(this.options.dir, name))) {
        if (this.closed) return;
        const key = `${name}/${version}`;
        seen.add(key);
        await this.consider(name, version);
      }
    }
    for (const [name, versions] of this.byName) {
      for (const [version, entry] of versions) {
        if (seen.has(`${name}/${version}`)) continue;
        versions.delete(version);
        this.logger.info("model version removed", { model: name, version });
        this.retire(entry.model);
      }
    }
    for (const key of this.failed.keys()) if (!seen.has(key)) this.failed.delete(key);
    for (const name of this.routes.keys()) if (!names.includes(name)) this.routes.delete(name);
  }

  /** Reads `<name>/routing.json` when it changed (inode, size, mtime); a bad file keeps the previous state. */
  private async considerRouting(name: string, seen: Set<string>): Promise<void> {
    const file = routingPath(this.options.dir, name);
    const key = `${name}/${ROUTING_FILE}`;
    let sig: string;
    try {
      const s = await stat(file);
      // The inode too: every write is a rename of a new file, even one of the same size and mtime.
      sig = `${s.ino}:${s.mtimeMs}:${s.size}`;
    } catch {
      if (this.routes.delete(name)) this.logger.info("routing removed", { model: name });
      return;
    }
    seen.add(key);
    if (this.routes.get(name)?.signature === sig || this.failed.get(key)?.signature === sig) return;
    try {
      const { state } = await readRouting(this.options.dir, name);
      if (state === undefined) return;
      this.routes.set(name, { state, signature: sig });
      this.failed.delete(key);
      this.logger.info("routing loaded", {
        model: name,
        serving: state.serving,
        canary: state.canary == null ? null : `${state.canary.version}@${state.canary.share}`,
        shadow: (state.shadow ?? []).join(","),
      });
    } catch (e) {
      const failure: LoadFailure = {
        model: name,
        version: ROUTING_FILE,
        stage: "routing",
        error: e instanceof Error ? e.message : String(e),
        at: new Date().toISOString(),
      };
      this.failed.set(key, { signature: sig, failure });
      this.logger.error("routing.json is invalid; the previous routing stays in force", { ...failure });
    }
  }

  private async consider(name: string, version: string): Promise<void> {
    const dir = join(this.options.dir, name, version);
    const sig = await signature(dir);
    if (sig === undefined) return;
    const key = `${name}/${version}`;
    const current = this.byName.get(name)?.get(version);
    if (current !== undefined && !current.model.runner.alive) {
      this.logger.error("model version lost its inference worker; reloading", { model: name, version });
    } else if (current?.signature === sig || this.failed.get(key)?.signature === sig) return;
    const batching = this.options.batching ?? { maxRows: 2048, maxWaitMs: 2, enabled: true };
    try {
      const { model, warmups, skipped, unused, tuning } = await loadVersion(
        dir,
        name,
        version,
        this.options.session ?? {},
        batching,
      );
      if (this.closed) return void (await model.release());
      let versions = this.byName.get(name);
      if (versions === undefined) this.byName.set(name, (versions = new Map()));
      versions.set(version, { model, signature: sig });
      this.failed.delete(key);
      if (current !== undefined) this.retire(current.model);
      modelMetrics().loads.add(1, { model: name, version });
      this.logger.info("model version loaded", {
        model: name,
        version,
        provider: model.provider,
        warmups,
        skipped,
        unused,
        batchRows: model.batchRows,
        ...(tuning !== undefined && {
          batchCurve: tuning.curve.map((c) => `${c.rows}:${Math.round(c.rowsPerMs)}`).join(" "),
        }),
      });
    } catch (e) {
      const stage = e instanceof ModelLoadError ? e.stage : "read";
      const failure: LoadFailure = {
        model: name,
        version,
        stage,
        error: e instanceof Error ? e.message : String(e),
        at: new Date().toISOString(),
      };
      this.failed.set(key, { signature: sig, failure });
      if (current !== undefined && !current.model.runner.alive) this.byName.get(name)?.delete(version);
      modelMetrics().loadFailures.add(1, { model: name, version, stage });
      this.logger.error("model version failed to load; previous versions keep serving", { ...failure });
    }
  }

  /** Releases a version after the grace period, when requests that picked it have finished. */
  private retire(model: LoadedModel): void {
    const t = setTimeout(() => void model.release().catch(() => undefined), this.options.releaseGraceMs ?? 30_000);
    t.unref();
  }
}
