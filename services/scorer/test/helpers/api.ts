import { TensorBuilder, encodeCandidates, type CandidateInput, type RequestContext } from "@seqlane/features";
import { reference, type FixtureSet } from "@seqlane/models";
import type { UserSequences } from "@seqlane/sequences";

/** POST JSON and return status, headers and parsed body. */
export async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read JSON responses field by field
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

/** Reference scores of a fixture model for one user's sequences and candidates, outside the scorer. */
export function expectedScores(
  set: FixtureSet,
  model: "pooling" | "din",
  sequences: UserSequences,
  candidates: CandidateInput[],
  context: RequestContext,
) {
  const f = set[model];
  const batch = new TensorBuilder(f.manifest, { reuseBuffers: false, fixedLengths: true }).build([
    { sequences, candidates: encodeCandidates(candidates), context, now: Date.now() },
  ]);
  return reference(f.weights, batch.tensors);
}
