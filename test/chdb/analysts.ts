import { readFileSync } from "node:fs";

/** One ```sql block of docs/analysts.md, named after the heading above it. */
export interface AnalystQuery {
  /** `3. Calibration by segment: page position`; a second block under one heading gets ` (2)`. */
  readonly name: string;
  readonly sql: string;
}

/**
 * The ```sql blocks of a Markdown file, verbatim (what an analyst pastes), each named by the
 * nearest `#` heading before it.
 */
export function analystQueries(path: string): AnalystQuery[] {
  const out: AnalystQuery[] = [];
  let heading = "";
  let inHeading = 0;
  // Inside a fence: its language and lines (only sql blocks are kept; `#` lines in any fence are not headings).
  let fence: { lang: string; lines: string[] } | null = null;
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const mark = /^```(\w*)\s*$/.exec(line);
    if (fence !== null) {
      if (mark && mark[1] === "") {
        if (fence.lang === "sql") {
          inHeading += 1;
          out.push({ name: inHeading > 1 ? `${heading} (${inHeading})` : heading, sql: fence.lines.join("\n").trim() });
        }
        fence = null;
      } else fence.lines.push(line);
      continue;
    }
    if (mark) fence = { lang: mark[1] ?? "", lines: [] };
    else {
      const h = /^#+\s+(.*)$/.exec(line);
      if (h) {
        heading = h[1] ?? "";
        inHeading = 0;
      }
    }
  }
  if (fence !== null) throw new Error(`${path}: unclosed \`\`\`${fence.lang} block under "${heading}"`);
  return out;
}
