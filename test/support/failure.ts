/** The HttpError a promise fails with; anything else (or no failure) fails the test. */
import { HttpError } from '../../src/sources/http.js';

export async function failure(p: Promise<unknown>): Promise<HttpError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}
