// Makes the broker's topics match topics.json: creates missing topics, adds partitions where
// fewer than declared (Kafka cannot remove partitions), and sets the declared topic configs.
// Also the stack's readiness check: it waits until the broker answers metadata requests.
//
// Usage: node infra/kafka/ensure-topics.mjs [--brokers 127.0.0.1:9092] [--file topics.json]
//        [--wait-seconds 90]
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import kafkajs from "kafkajs";

const { Kafka, logLevel, ConfigResourceTypes } = kafkajs;
const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    brokers: { type: "string", default: process.env.SEQLANE_KAFKA_BROKERS ?? "127.0.0.1:9092" },
    file: { type: "string", default: join(here, "topics.json") },
    "wait-seconds": { type: "string", default: "90" },
  },
});

const spec = JSON.parse(readFileSync(values.file, "utf8"));
const kafka = new Kafka({
  clientId: "seqlane-stack-topics",
  brokers: values.brokers.split(","),
  logLevel: logLevel.NOTHING,
  retry: { retries: 0 },
  connectionTimeout: 2000,
});
const admin = kafka.admin();

async function waitForBroker(seconds) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    try {
      await admin.connect();
      await admin.listTopics();
      return;
    } catch (err) {
      await admin.disconnect().catch(() => {});
      if (Date.now() > deadline) {
        throw new Error(`broker ${values.brokers} did not answer within ${seconds}s: ${err.message}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function main() {
  await waitForBroker(Number(values["wait-seconds"]));
  const existing = new Set(await admin.listTopics());
  const missing = spec.topics.filter((t) => !existing.has(t.name));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((t) => ({
        topic: t.name,
        numPartitions: t.partitions,
        replicationFactor: t.replicationFactor ?? 1,
        configEntries: Object.entries(t.config ?? {}).map(([name, value]) => ({ name, value })),
      })),
    });
    for (const t of missing) console.log(`  topic ${t.name}: created (${t.partitions} partitions)`);
  }
  const present = spec.topics.filter((t) => existing.has(t.name));
  console.log(`  topics: ${spec.topics.length} declared, ${missing.length} created, ${present.length} already there`);
  if (present.length === 0) return;

  const meta = await admin.fetchTopicMetadata({ topics: present.map((t) => t.name) });
  const counts = new Map(meta.topics.map((t) => [t.name, t.partitions.length]));
  const grow = present.filter((t) => (counts.get(t.name) ?? 0) < t.partitions);
  if (grow.length > 0) {
    await admin.createPartitions({
      topicPartitions: grow.map((t) => ({ topic: t.name, count: t.partitions })),
    });
  }
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: present.map((t) => ({ type: ConfigResourceTypes.TOPIC, name: t.name })),
  });
  const actual = new Map(
    described.resources.map((r) => [
      r.resourceName,
      new Map(r.configEntries.map((e) => [e.configName, e.configValue])),
    ]),
  );
  const drift = present.filter((t) =>
    Object.entries(t.config ?? {}).some(([k, v]) => actual.get(t.name)?.get(k) !== String(v)),
  );
  if (drift.length > 0) {
    // AlterConfigs replaces a topic's overrides with exactly the declared set.
    await admin.alterConfigs({
      validateOnly: false,
      resources: drift.map((t) => ({
        type: ConfigResourceTypes.TOPIC,
        name: t.name,
        configEntries: Object.entries(t.config ?? {}).map(([name, value]) => ({ name, value: String(value) })),
      })),
    });
  }
  for (const t of present) {
    const notes = [];
    if (grow.includes(t)) notes.push(`partitions ${counts.get(t.name)} -> ${t.partitions}`);
    else if ((counts.get(t.name) ?? 0) > t.partitions)
      notes.push(`has ${counts.get(t.name)} partitions, declared ${t.partitions} (Kafka cannot shrink)`);
    if (drift.includes(t)) notes.push("config updated");
    if (notes.length > 0) console.log(`  topic ${t.name}: ${notes.join(", ")}`);
  }
}

main()
  .then(() => admin.disconnect())
  .catch(async (err) => {
    console.error(`ensure-topics: ${err.message}`);
    await admin.disconnect().catch(() => {});
    process.exit(1);
  });
