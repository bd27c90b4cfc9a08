import { TRPCClientError } from "@trpc/client";
import type { Messages } from "../i18n/en.js";

/** What the UI needs to know about a failed call. */
export interface ErrorInfo {
  /** The tRPC error code (`UNAUTHORIZED`, `CONFLICT`, …), or null when no server answered. */
  code: string | null;
  /** The server's message; shown only where it is specific (validation). */
  message: string;
  retryAfterSeconds: number | null;
  /** Why, when the server says (`details.reason`: "outcome_unknown", "declined", …). */
  reason: string | null;
}

interface ErrorData {
  code?: string;
  httpStatus?: number;
  retryAfterSeconds?: number;
  details?: { reason?: unknown };
}

const STATUS_CODES: Record<number, string> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  413: "PAYLOAD_TOO_LARGE",
  429: "TOO_MANY_REQUESTS",
  502: "BAD_GATEWAY",
  503: "SERVICE_UNAVAILABLE",
  504: "GATEWAY_TIMEOUT",
};

export function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof TRPCClientError) {
    const data = (error.data ?? {}) as ErrorData;
    // A proxy or the gateway may answer in plain JSON, without tRPC's error shape.
    const status = (error.meta as { response?: { status?: number } } | undefined)?.response?.status;
    return {
      code: data.code ?? (status ? (STATUS_CODES[status] ?? "INTERNAL_SERVER_ERROR") : null),
      message: error.message,
      retryAfterSeconds:
        typeof data.retryAfterSeconds === "number" ? Math.ceil(data.retryAfterSeconds) : null,
      reason: typeof data.details?.reason === "string" ? data.details.reason : null,
    };
  }
  return {
    code: null,
    message: error instanceof Error ? error.message : "",
    retryAfterSeconds: null,
    reason: null,
  };
}

// No answer, or one that says nothing of the request: it may have been carried out.
const LOST_ANSWER = new Set([null, "GATEWAY_TIMEOUT", "BAD_GATEWAY", "INTERNAL_SERVER_ERROR"]);

/** Whether the request may have been carried out though no answer said so. */
export function answerLost(error: unknown): boolean {
  return LOST_ANSWER.has(errorInfo(error).code);
}

/**
 * A message for a person, in their language. Pages pass `specific` for the
 * codes that mean something precise where they are (a taken username, a
 * declined payment); the rest get a general message by code.
 */
export function errorText(
  error: unknown,
  t: Messages,
  specific: Partial<Record<string, string>> = {},
): string {
  const info = errorInfo(error);
  if (info.code && specific[info.code]) return specific[info.code]!;
  switch (info.code) {
    case null:
      return t.errors.network;
    case "BAD_REQUEST":
      return t.errors.invalid(info.message.replace(/^Invalid input:\s*/, ""));
    case "FORBIDDEN":
      return t.errors.forbidden;
    case "NOT_FOUND":
      return t.errors.notFound;
    case "TOO_MANY_REQUESTS":
      return t.errors.tooMany(info.retryAfterSeconds ?? 1);
    case "SERVICE_UNAVAILABLE":
    case "GATEWAY_TIMEOUT":
    case "BAD_GATEWAY":
      return t.errors.unavailable;
    default:
      return t.errors.generic;
  }
}
