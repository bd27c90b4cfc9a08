export * from "./key-material.js";
export * from "./key-rotation.js";
export * from "./key-store.js";
