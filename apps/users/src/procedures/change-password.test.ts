import type { ErrorData } from "@shop/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, errorOf, type Harness, newUser, startHarness } from "../test/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe("changePassword", () => {
  it("needs the current password, then swaps passwords and stamps passwordChangedAt", async () => {
    const { client, user, password } = await newUser(h, "changer");
    const internal = await h.internal();
    const before = (await internal.accountStatus.query({ userId: user.id })).passwordChangedAt;
    await new Promise((resolve) => setTimeout(resolve, 5));

    const wrong = await errorOf(
      client.changePassword.mutate({ currentPassword: "not-it", newPassword: "fresh-password" }),
    );
    expect(wrong.data?.code).toBe("FORBIDDEN");
    expect((await internal.accountStatus.query({ userId: user.id })).passwordChangedAt).toBe(
      before,
    );

    await expect(
      client.changePassword.mutate({ currentPassword: password, newPassword: "fresh-password" }),
    ).resolves.toMatchObject({ message: expect.any(String) });
    const after = await internal.accountStatus.query({ userId: user.id });
    expect(after.passwordChangedAt).toBeGreaterThan(before);
    expect(after.passwordChangedAt).toBeLessThanOrEqual(Date.now());

    expect(await codeOf(internal.verifyCredentials.mutate({ username: "changer", password }))).toBe(
      "UNAUTHORIZED",
    );
    const login = await internal.verifyCredentials.mutate({
      username: "changer",
      password: "fresh-password",
    });
    expect(login.passwordChangedAt).toBe(after.passwordChangedAt);
  });

  it("applies the policy to the new password only (seeded passwords are grandfathered)", async () => {
    const maxim = h.client(await h.tokenFor(3, "maxim"));
    expect(
      await codeOf(maxim.changePassword.mutate({ currentPassword: "maxim", newPassword: "short" })),
    ).toBe("BAD_REQUEST");
    expect(
      await codeOf(
        maxim.changePassword.mutate({
          currentPassword: "maxim",
          newPassword: "MAXIMmaxim".slice(0, 5),
        }),
      ),
    ).toBe("BAD_REQUEST");
    const same = await errorOf(
      h.client(await h.tokenFor(2, "user1")).changePassword.mutate({
        currentPassword: "password1",
        newPassword: "USER1",
      }),
    );
    expect(same.data?.code).toBe("BAD_REQUEST");
    const { client, password } = await newUser(h, "Longname99");
    const equal = await errorOf(
      client.changePassword.mutate({ currentPassword: password, newPassword: "longNAME99" }),
    );
    expect(equal.data?.code).toBe("BAD_REQUEST");
    expect(
      await codeOf(
        client.changePassword.mutate({ currentPassword: password, newPassword: "x".repeat(129) }),
      ),
    ).toBe("BAD_REQUEST");
    await expect(
      maxim.changePassword.mutate({ currentPassword: "maxim", newPassword: "maxim-is-longer" }),
    ).resolves.toBeDefined();
  });

  it("lets only one of two concurrent changes with the same current password win", async () => {
    const { client, password } = await newUser(h, "racer");
    const codes = await Promise.all(
      ["first-new-pass", "second-new-pass"].map((newPassword) =>
        codeOf(client.changePassword.mutate({ currentPassword: password, newPassword })),
      ),
    );
    expect(codes.filter((c) => c === "OK")).toHaveLength(1);
  });

  it("stops guessing the current password after 5 failures, with Retry-After", async () => {
    const { client, user, password } = await newUser(h, "guessed");
    const attempt = (currentPassword: string) =>
      client.changePassword.mutate({ currentPassword, newPassword: "next-password" });
    // Sent at once: each counts before its bcrypt compare, so none slips past the limit.
    const guesses = await Promise.all(
      Array.from({ length: 8 }, (_, i) => codeOf(attempt(`guess-${i}`))),
    );
    expect(guesses.filter((c) => c === "FORBIDDEN")).toHaveLength(5);
    expect(guesses.filter((c) => c === "TOO_MANY_REQUESTS")).toHaveLength(3);
    const limited = await errorOf(attempt(password));
    expect(limited.data?.code).toBe("TOO_MANY_REQUESTS");
    expect((limited.data as ErrorData | undefined)?.retryAfterSeconds).toBeGreaterThan(0);
    const raw = await fetch(`${h.users.url}/trpc/users/changePassword`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${await h.tokenFor(user.id, "guessed")}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ currentPassword: password, newPassword: "next-password" }),
    });
    expect(raw.status).toBe(429);
    expect(Number(raw.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("needs a signed-in caller", async () => {
    expect(
      await codeOf(
        h.client().changePassword.mutate({ currentPassword: "x", newPassword: "long-enough" }),
      ),
    ).toBe("UNAUTHORIZED");
  });
});
