import type { BehaviourEvent } from "./schema.js";

/** The wire form of an event: one JSON object, the Kafka message value. */
export function serializeEvent(event: BehaviourEvent): string {
  return JSON.stringify(event);
}

/** The Kafka message key of an event: its user id (keeps a user's events in one partition). */
export function eventKey(event: Pick<BehaviourEvent, "user_id">): string {
  return event.user_id;
}
