/**
 * Where the e2e stack listens: its own ports (web 5400 … bank 5405), so a
 * running `npm start` (5000 … 5005) does not clash. E2E_BASE_PORT moves it.
 */
export const E2E_BASE_PORT = Number(process.env.E2E_BASE_PORT ?? 5400);

export const E2E_URLS = {
  web: `http://127.0.0.1:${E2E_BASE_PORT}`,
  gateway: `http://127.0.0.1:${E2E_BASE_PORT + 4}`,
  bank: `http://127.0.0.1:${E2E_BASE_PORT + 5}`,
} as const;

/** Access tokens live this long in e2e, so expiry happens within a test. */
export const E2E_ACCESS_TOKEN_TTL_S = 10;

/** The open breaker half-opens after this long in e2e. */
export const E2E_BREAKER_RESET_S = 5;
