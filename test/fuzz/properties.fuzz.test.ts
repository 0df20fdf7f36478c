/**
 * The property tests of the parsers (fast-check, fixed seeds; each test prints how many cases it
 * ran). One test file for all of them, so the suite pays vitest's per-file start-up once:
 * - ytd-reader.props.ts: readYtdArray (X archive `.js` files), any chunking, mutated fixtures, limits;
 * - map-tweet.props.ts: mapTweet with any value in any field, and its dates;
 * - api-mappers.props.ts: the Bluesky, Mastodon and X API mappers with junk answers;
 * - parsers.props.ts: CSV decoding and parsing, saved datasets, export dates, Meta text repair.
 */
import './ytd-reader.props.js';
import './map-tweet.props.js';
import './api-mappers.props.js';
import './parsers.props.js';
