import { AppError } from "@shop/kit";

/** A string field: 400 naming the field when it is required and missing, or not a string. */
export function stringField(body: Record<string, unknown>, name: string): string;
export function stringField(
  body: Record<string, unknown>,
  name: string,
  optional: "optional",
): string | undefined;
export function stringField(
  body: Record<string, unknown>,
  name: string,
  optional?: "optional",
): string | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === "") {
    if (optional) return undefined;
    throw new AppError("BAD_REQUEST", `${name} is required`);
  }
  if (typeof value !== "string") throw new AppError("BAD_REQUEST", `${name} must be a string`);
  return value;
}

/** An integer field within bounds, also accepted as a numeric string (the seed's clients send both). */
export function intField(
  body: Record<string, unknown>,
  name: string,
  bounds: { min: number; max: number },
): number | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === "") return undefined;
  const number = typeof value === "string" && /^-?[0-9]{1,16}$/.test(value) ? Number(value) : value;
  if (
    typeof number !== "number" ||
    !Number.isInteger(number) ||
    number < bounds.min ||
    number > bounds.max
  ) {
    throw new AppError(
      "BAD_REQUEST",
      `${name} must be an integer from ${bounds.min} to ${bounds.max}`,
    );
  }
  return number;
}

/** A query parameter as a bounded integer, or undefined when absent. */
export function intQuery(
  value: string | undefined,
  name: string,
  bounds: { min: number; max: number },
): number | undefined {
  return intField({ [name]: value }, name, bounds);
}

/** A path id: a positive integer, else the route does not exist (as in the seed). */
export function pathIdOf(raw: string | undefined): number {
  if (raw === undefined || !/^[1-9][0-9]{0,15}$/.test(raw)) {
    throw new AppError("NOT_FOUND", "Not found");
  }
  return Number(raw);
}
