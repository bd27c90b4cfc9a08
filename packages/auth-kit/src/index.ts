export * from "./access.js";
export * from "./bearer.js";
export * from "./claims.js";
export * from "./constants.js";
export * from "./jwks.js";
export * from "./verify.js";
