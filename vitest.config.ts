import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{shared,server,client,loadtest}/{src,test}/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Integration tests measure rates over real sockets: keep files from competing for the 2 cores.
    fileParallelism: false,
  },
});
