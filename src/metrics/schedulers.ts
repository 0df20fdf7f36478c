/**
 * Scheduling and automation clients (docs/metrics.md §3 cadence.schedulerShare). Each name matches
 * case-insensitively as a substring of the client name: X calls Hootsuite's client "Hootsuite Inc.".
 * Full clients (TweetDeck, Ivory, the official apps) are not schedulers.
 */
export const SCHEDULER_CLIENTS = [
  'buffer', 'hootsuite', 'sprout social', 'later', 'ifttt', 'dlvr.it', 'zapier', 'socialoomph',
  'twitterfeed', 'publer', 'socialpilot', 'agorapulse', 'sendible', 'loomly', 'coschedule',
  'meetedgar', 'tweetdeck teams scheduler', 'sprinklr', 'falcon.io', 'oktopost', 'hubspot',
  'eclincher', 'planable', 'contentcal', 'crowdfire', 'statusbrew', 'post planner', 'recurpost',
  'make.com', 'integromat', 'n8n', 'typefully', 'hypefury', 'tweethunter', 'feedly', 'revive old post',
] as const;

export function makeSchedulerMatcher(extra: readonly string[]): (client: string) => boolean {
  const needles = [...SCHEDULER_CLIENTS, ...extra.map((e) => e.toLowerCase())];
  const cache = new Map<string, boolean>();
  return (client) => {
    let hit = cache.get(client);
    if (hit === undefined) {
      const lower = client.toLowerCase();
      hit = needles.some((n) => lower.includes(n));
      cache.set(client, hit);
    }
    return hit;
  };
}
