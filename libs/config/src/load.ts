import { ConfigError, ConfigErrors } from "./errors.js";
import type { Env, Option } from "./option.js";

/** A named group of options, e.g. the Kafka connection. */
export type Spec = Readonly<Record<string, Option<unknown>>>;
export type Values<S extends Spec> = { readonly [K in keyof S]: S[K] extends Option<infer T> ? T : never };

/**
 * Reads every option of `spec` from `env`, collecting all problems before failing,
 * so one start-up names every bad variable at once.
 */
export function load<S extends Spec>(spec: S, env: Env = process.env): Values<S> {
  const out: Record<string, unknown> = {};
  const errors: ConfigError[] = [];
  for (const [key, opt] of Object.entries(spec)) {
    try {
      out[key] = opt.read(env);
    } catch (e) {
      if (e instanceof ConfigError) errors.push(e);
      else throw e;
    }
  }
  if (errors.length > 0) throw new ConfigErrors(errors);
  return out as Values<S>;
}

/**
 * The default of every option of `spec`, typed as `load` returns them: what a library or a
 * `createX()` applies when its caller leaves an option out, so each default is written once,
 * here in libs/config, beside its documentation. Throws for a spec with required options.
 */
export function defaults<S extends Spec>(spec: S): Values<S> {
  return load(spec, {});
}

/** Markdown table rows (variable, default, meaning) for the README's configuration section. */
export function describe(specs: Readonly<Record<string, Spec>>): string {
  const rows = ["| variable | default | meaning |", "| --- | --- | --- |"];
  for (const spec of Object.values(specs)) {
    for (const opt of Object.values(spec)) {
      const def =
        opt.defaultText === undefined ? "(required)" : opt.defaultText === "" ? "(empty)" : `\`${opt.defaultText}\``;
      rows.push(`| \`${opt.variable}\` | ${def} | ${opt.doc} |`);
    }
  }
  return rows.join("\n");
}
