import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// game-api serves web/dist and answers /api; in development Vite serves the app and hands
// /api to a game-api running locally, so the session cookie stays same-origin.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
});
