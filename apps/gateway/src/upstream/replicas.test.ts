import { afterEach, describe, expect, it } from "vitest";
import { createReplicaSet, type ReplicaSet } from "./replicas.js";

let set: ReplicaSet | undefined;
afterEach(() => set?.close());

describe("createReplicaSet", () => {
  it("rotates, skips an ejected replica until its time is up, then takes it back", () => {
    let now = 0;
    set = createReplicaSet(
      "svc",
      ["http://127.0.0.1:1", "http://127.0.0.1:2", "http://127.0.0.1:3"],
      {
        connections: 1,
        connectTimeoutMs: 100,
        ejectMs: 1_000,
        now: () => now,
      },
    );
    const origins = () => Array.from({ length: 6 }, () => set!.pick().origin.slice(-1)).join("");
    expect(origins()).toBe("123123");
    set.eject(set.replicas[1]!);
    expect(origins()).toBe("131313");
    now += 1_000;
    expect(origins()).toContain("2");
  });

  it("with every replica out, tries the one due back first", () => {
    let now = 0;
    set = createReplicaSet("svc", ["http://127.0.0.1:1", "http://127.0.0.1:2"], {
      connections: 1,
      connectTimeoutMs: 100,
      ejectMs: 1_000,
      now: () => now,
    });
    set.eject(set.replicas[1]!);
    now += 10;
    set.eject(set.replicas[0]!);
    expect(set.pick().origin).toBe("http://127.0.0.1:2");
  });
});
