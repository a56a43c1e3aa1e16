/**
 * A gateway in its own process, so a test can read *its* memory (VmRSS) while bodies stream
 * through. Config YAML from TOLLGATE_TEST_YAML; prints `{"url": …}` on stdout once listening.
 */
import { startGateway } from '../helpers/gateway.js';

const gw = await startGateway(process.env.TOLLGATE_TEST_YAML ?? '');
process.stdout.write(`${JSON.stringify({ url: gw.url, pid: process.pid })}\n`);
process.on('SIGTERM', () => void gw.close().then(() => process.exit(0)));
