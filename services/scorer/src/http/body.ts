import type { IncomingMessage } from "node:http";
import { HttpError, ValidationError } from "./errors.js";

/** Reads and parses a JSON body, refusing more than `maxBytes` (413) before buffering it all. */
export async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > maxBytes)
    throw new HttpError(413, "body_too_large", `body: ${declared} bytes exceeds the limit of ${maxBytes}`, "(body)");
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      req.destroy();
      throw new HttpError(413, "body_too_large", `body: exceeds the limit of ${maxBytes} bytes`, "(body)");
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ValidationError("(body)", `must be valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}
