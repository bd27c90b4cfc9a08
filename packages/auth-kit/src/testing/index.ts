export * from "./attacks.js";
export * from "./test-issuer.js";
