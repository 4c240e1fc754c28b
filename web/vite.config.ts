import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The platform serves dist/ (FEEDBACK_WEB_ROOT): hashed file names under /assets, cached for a year.
// `npm run dev` proxies the API to a platform on FEEDBACK_API (default http://127.0.0.1:8080).
const api = process.env.FEEDBACK_API ?? "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    assetsDir: "assets",
    sourcemap: false,
    // No inline scripts or styles: the platform's Content-Security-Policy allows only 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: Object.fromEntries(["/graphql", "/auth", "/exports", "/health"].map((p) => [p, { target: api, changeOrigin: false }])),
  },
});
