/** Test-only: the recorded payloads in this folder. */
import { fixturesIn } from '../../kit/fixtures.test-helper.js';

export const { fixtureText, fixtureJson, fixtureFrames } = fixturesIn(new URL('./', import.meta.url));
