import { ConfigErrors, load, type ConfigError, type Env, type Spec, type Values } from "@seqlane/config";

export type Sections = Readonly<Record<string, Spec>>;
export type SectionValues<S extends Sections> = { readonly [K in keyof S]: Values<S[K]> };

/**
 * Reads every section, collecting the problems of all of them before failing, so one start-up
 * names every bad variable at once.
 * @throws ConfigErrors with every problem
 */
export function loadAll<S extends Sections>(sections: S, env: Env = process.env): SectionValues<S> {
  const problems: ConfigError[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(sections)) {
    try {
      out[name] = load(spec, env);
    } catch (e) {
      if (!(e instanceof ConfigErrors)) throw e;
      problems.push(...e.errors);
    }
  }
  if (problems.length > 0) throw new ConfigErrors(problems);
  return out as SectionValues<S>;
}
