/** kafkajs's log entry, structurally (no kafkajs dependency here). */
interface KafkaLogEntry {
  readonly namespace: string;
  readonly label: string;
  readonly log: { readonly message: string; readonly broker?: string; readonly stack?: string } & Record<
    string,
    unknown
  >;
}

/**
 * A kafkajs `logCreator` writing one JSON line per entry without stack traces (kafkajs attaches
 * a stack to every connection retry, which buries the one line a user needs).
 */
export function kafkaLogCreator(service: string, write: (line: string) => void = (l) => process.stderr.write(l)) {
  return () =>
    ({ namespace, label, log }: KafkaLogEntry): void => {
      const { message, broker } = log;
      write(
        JSON.stringify({
          t: new Date().toISOString(),
          level: label.toLowerCase(),
          service,
          source: `kafkajs.${namespace}`,
          message,
          ...(broker ? { broker } : {}),
        }) + "\n",
      );
    };
}
