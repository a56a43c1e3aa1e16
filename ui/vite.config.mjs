// `npx vite ui` (dev server with hot reload) against a gateway on 127.0.0.1:8787: the console's
// API calls are proxied to it. The production build is ./build.mjs (npm run build).
import { uiConfig } from './build.mjs';

const gateway = process.env.TOLLGATE_URL ?? 'http://127.0.0.1:8787';
const config = await uiConfig('../dist/ui');
export default {
  ...config,
  server: { proxy: { '/admin': gateway, '/v1': gateway, '/ui/api': gateway } },
};
