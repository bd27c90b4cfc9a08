import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `npm run dev`: Vite with HMR on the web port, forwarding the API to the gateway
// so the browser sees one origin, as with the production server (server/).
const gateway = process.env.GATEWAY_URL ?? "http://127.0.0.1:5004";
const proxy = Object.fromEntries(
  ["/trpc", "/gateway", "/health"].map((path) => [path, { target: gateway, xfwd: true }]),
);

export default defineConfig({
  plugins: [react()],
  server: { host: "127.0.0.1", port: Number(process.env.PORT ?? 5000), strictPort: true, proxy },
  preview: { host: "127.0.0.1", port: Number(process.env.PORT ?? 5000), proxy },
  build: {
    target: "es2022",
    // The production server precompresses; report gzip sizes for the README.
    reportCompressedSize: true,
    assetsInlineLimit: 0,
  },
});
