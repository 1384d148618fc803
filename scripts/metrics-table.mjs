#!/usr/bin/env node
// Prints the metrics table (every metric, its instrument, unit and meaning) from libs/telemetry,
// so libs/telemetry/README.md is generated from the code: `node scripts/metrics-table.mjs`.
import { describeMetrics } from "../libs/telemetry/dist/index.js";

console.log(describeMetrics());
