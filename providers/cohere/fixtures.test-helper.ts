/** Test-only: the hand-written Cohere payloads beside this file (`__fixtures__/*.handmade.*`). */
import { fixturesIn } from '../kit/fixtures.test-helper.js';

export const { fixtureJson, fixtureFrames } = fixturesIn(new URL('./__fixtures__/', import.meta.url));
