/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The Rust server serves dist/ at `/` (index.html for unknown non-API paths), so one port carries
// UI and API. `vite dev` proxies the API to a server started with `make run` (or `cargo run -- serve`).
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
  },
  server: {
    proxy: {
      "/api": "http://127.0.0.1:8080",
      "/swagger-ui": "http://127.0.0.1:8080",
      "/api-docs": "http://127.0.0.1:8080",
    },
  },
  test: {
    environment: "happy-dom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test/setup.ts"],
    restoreMocks: true,
  },
});
