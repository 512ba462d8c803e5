import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// In development (npm run dev) Vite serves the client with hot reload and passes the API and the
// game socket through to the game server on PORT.
const server = `127.0.0.1:${process.env.PORT ?? '3000'}`;

export default defineConfig({
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': `http://${server}`,
      '/ws': { target: `ws://${server}`, ws: true },
    },
  },
  // Two pages: the game (index.html) and the time-travel viewer (replay.html, docs/replay.md).
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: { input: { main: fileURLToPath(new URL('index.html', import.meta.url)), replay: fileURLToPath(new URL('replay.html', import.meta.url)) } },
  },
});
