/** Test-only: the hand-written Bedrock payloads beside this file (`__fixtures__/*.handmade.json`). */
import { fixturesIn } from '../kit/fixtures.test-helper.js';

export const { fixtureJson } = fixturesIn(new URL('./__fixtures__/', import.meta.url));
