import { describe, expect, it } from "vitest";
import { post, RawConnection, scoreHead, waitFor, withSeededUser } from "./scorer-support.js";

const t = withSeededUser();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const valid = () => ({ user_id: t.user, candidates: [{ item_id: 1, category_id: 2 }], model: "din" });

/** Settles with the response, or "none" when there is none within `ms`. */
const within = <T>(p: Promise<T>, ms: number): Promise<T | "none"> =>
  Promise.race([p, sleep(ms).then(() => "none" as const)]);

describe("request body limits on the real scorer", () => {
  it("an oversized chunked body gets 413 with Connection: close, not a connection reset", async () => {
    const { url } = await t.env.scorer({ maxBodyBytes: 65_536 });
    for (const keepWriting of [false, true]) {
      const conn = await RawConnection.open(url);
      await conn.write(scoreHead(url, undefined));
      const chunk = Buffer.alloc(16_384, 0x20);
      // Keep sending until answered (or 16x the limit); with keepWriting, 20 chunks more after it.
      let after = 0;
      for (let sent = 0; sent < 16 * 65_536; sent += chunk.length) {
        if (!(await conn.writeChunk(chunk))) break;
        await sleep(2);
        if (conn.answered && (!keepWriting || ++after > 20)) break;
      }
      const r = await within(conn.response, 5000);
      expect(r, `keepWriting=${keepWriting}, socket error ${conn.error}`).not.toBe("none");
      expect(r).toBeDefined();
      const res = r as Exclude<typeof r, "none" | undefined>;
      expect([res.status, res.headers.connection, JSON.parse(res.body).error.code]).toEqual([
        413,
        "close",
        "body_too_large",
      ]);
      expect(await within(conn.closed, 5000)).not.toBe("none");
    }
    expect((await post(`${url}/v1/score`, valid())).status).toBe(200);
  });

  it("bytes of bodies in flight are bounded: beyond the bound 503 + Retry-After, held bodies end with 408", async () => {
    const { scorer, url } = await t.env.scorer({
      maxBodyBytes: 65_536,
      maxInflightBytes: 262_144,
      bodyTimeoutMs: 1000,
    });
    // Ten clients each declare a 64 KiB body and send 100 bytes of it: four fit in 256 KiB.
    const conns = await Promise.all(Array.from({ length: 10 }, () => RawConnection.open(url)));
    for (const c of conns) await c.write(scoreHead(url, 65_536) + " ".repeat(100));
    await waitFor("six refusals", () => conns.filter((c) => c.answered).length >= 6, 3000);
    await sleep(100);
    const refused = await Promise.all(conns.filter((c) => c.answered).map((c) => c.response));
    expect(refused).toHaveLength(6);
    for (const r of refused) {
      expect([r!.status, r!.headers["retry-after"], JSON.parse(r!.body).error.code]).toEqual([503, "1", "overloaded"]);
    }
    // 503 "overloaded", not 408: refused by the byte bound on arrival, not by the body timeout.
    expect(scorer.inflightBytes).toBe(262_144);
    // A chunked body counts as it arrives: none of it fits now.
    const chunked = await RawConnection.open(url);
    await chunked.write(scoreHead(url, undefined));
    await chunked.writeChunk(Buffer.alloc(1024, 0x20));
    const c = await within(chunked.response, 2000);
    expect(c !== "none" && c?.status).toBe(503);
    // The four held bodies never complete: each is answered 408 (or cut) after the body timeout.
    const held = conns.filter((c) => !c.answered);
    const ends = await Promise.all(
      held.map((c) =>
        within(
          c.closed.then(() => c.response),
          4000,
        ),
      ),
    );
    for (const e of ends) {
      expect(e).not.toBe("none");
      if (e !== undefined && e !== "none") expect(e.status).toBe(408);
    }
    await waitFor("budget released", () => scorer.inflightBytes === 0, 2000);
    expect((await post(`${url}/v1/score`, valid())).status).toBe(200);
  });

  it("a slowloris body gets 408 and its connection closed; slow headers are cut off too", async () => {
    const { scorer, url } = await t.env.scorer({ bodyTimeoutMs: 800 });
    const body = Buffer.from(JSON.stringify(valid()));
    const slow = await RawConnection.open(url);
    await slow.write(scoreHead(url, body.length));
    let stop = false;
    void (async () => {
      for (let i = 0; i < body.length && !stop; i++) {
        if (!(await slow.write(body.subarray(i, i + 1)))) break;
        await sleep(100);
      }
    })();
    const r = await within(slow.response, 5000);
    stop = true;
    expect(r !== "none" && r?.status).toBe(408);
    expect(JSON.parse((r as { body: string }).body).error.code).toBe("body_timeout");
    expect(await within(slow.closed, 3000)).not.toBe("none");
    expect(scorer.inflightBytes).toBe(0);

    const headers = await RawConnection.open(url);
    await headers.write(`POST /v1/score HTTP/1.1\r\nHost: x\r\n`);
    let stopHeaders = false;
    void (async () => {
      for (let i = 0; !stopHeaders; i++) {
        if (!(await headers.write(`X-Slow-${i}: 1\r\n`))) break;
        await sleep(200);
      }
    })();
    const closed = await within(headers.closed, 6000);
    stopHeaders = true;
    expect(closed).not.toBe("none");
    const hr = await headers.response;
    if (hr !== undefined) expect(hr.status).toBe(408);
  });
});
