import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `pnpm --filter @wachtpost/console-web dev` proxies the API and socket.io to a console on :8080.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/socket.io': { target: 'http://127.0.0.1:8080', ws: true },
    },
  },
});
