export { type AppRouter, SERVICES, type ServiceName } from "./app-router.js";
export { type ServiceLinkOptions, serviceLink } from "./service-link.js";
