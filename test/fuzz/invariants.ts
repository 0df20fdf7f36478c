/** What every Post and Interaction a parser returns must satisfy, whatever its input was. */
import { expect } from 'vitest';
import { EngageAuditError } from '../../src/errors.js';
import { InteractionSchema, POST_KINDS, PostSchema, type Post } from '../../src/model/dataset.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A Post: the dataset schema, an ISO-8601 UTC createdAt that round-trips, a known kind, counts null or non-negative safe integers. */
export function expectValidPost(post: Post, where = 'post'): void {
  const parsed = PostSchema.safeParse(post);
  expect(parsed.success, `${where}: ${parsed.success ? '' : JSON.stringify(parsed.error.issues[0])}`).toBe(true);
  expect(post.createdAt, `${where}.createdAt`).toMatch(ISO);
  expect(new Date(post.createdAt).toISOString(), `${where}.createdAt round trip`).toBe(post.createdAt);
  expect(POST_KINDS, `${where}.kind`).toContain(post.kind);
  for (const [name, value] of Object.entries(post.metrics)) {
    if (value !== null) expect(Number.isSafeInteger(value) && value >= 0, `${where}.metrics.${name} = ${value}`).toBe(true);
  }
}

/** An interaction: the dataset schema (depth a positive integer, actor a string). */
export function expectValidInteraction(i: unknown, where = 'interaction'): void {
  const parsed = InteractionSchema.safeParse(i);
  expect(parsed.success, `${where}: ${parsed.success ? '' : JSON.stringify(parsed.error.issues[0])}`).toBe(true);
}

/** Runs `fn`; an EngageAuditError is an allowed answer (returned as null), any other exception fails the property. */
export function allowingKnownErrors<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch (error) {
    if (error instanceof EngageAuditError) return null;
    throw error;
  }
}
