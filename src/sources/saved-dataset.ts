/**
 * A dataset saved by `engage-audit pull -o` (or by hand): JSON validated against the dataset schema,
 * audited offline exactly as the live pull was.
 */
import type { AccountRef, Dataset, Interaction, Post, SavedDataset } from '../model/dataset.js';
import { SavedDatasetSchema } from '../model/dataset.js';
import { EngageAuditError } from '../errors.js';
import { namesAccount, postPseudonym, pseudonym, redactMentions } from '../lib/pseudonym.js';

const BATCH = 4096;

async function* batches<T>(items: readonly T[]): AsyncGenerator<T[]> {
  for (let i = 0; i < items.length; i += BATCH) yield items.slice(i, i + BATCH);
}

export function parseSavedDataset(text: string, label: string): SavedDataset {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new EngageAuditError('MALFORMED', `${label}: not valid JSON (${(error as Error).message})`, {
      hint: 'Give a dataset saved by `engage-audit pull <target> -o dataset.json` (or pipe one into `-`).',
    });
  }
  const parsed = SavedDatasetSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    throw new EngageAuditError('MALFORMED', `${label}: not an engage-audit dataset: ${where}: ${issue.message}`, {
      hint: 'Save datasets with `engage-audit pull <target> -o dataset.json`; run `engage-audit schema dataset` for the format.',
    });
  }
  return parsed.data;
}

/**
 * A saved dataset audits as the pull it came from: same platform, source and target, so the report is
 * the live run's (but for `generatedAt`). `file` names it in messages.
 */
export function datasetFromSaved(saved: SavedDataset, _file: string): Dataset {
  return {
    platform: saved.platform,
    source: saved.source,
    target: saved.target,
    account: { ...saved.account },
    capabilities: saved.capabilities,
    availability: saved.availability,
    followerIds: saved.followerIds,
    followingIds: saved.followingIds,
    likesGiven: saved.likesGiven,
    posts: batches<Post>(saved.posts),
    interactions: saved.interactions === null ? null : batches<Interaction>(saved.interactions),
    state: { complete: saved.complete, warnings: [...saved.warnings] },
    asOf: saved.asOf ?? null,
  };
}

/** Reads a dataset's streams to their end into its saved form (`engage-audit pull -o`). */
export async function toSaved(dataset: Dataset): Promise<SavedDataset> {
  const posts: Post[] = [];
  for await (const batch of dataset.posts) posts.push(...batch);
  let interactions: Interaction[] | null = null;
  if (dataset.interactions) {
    interactions = [];
    for await (const batch of dataset.interactions) interactions.push(...batch);
  }
  return {
    kind: 'engage-audit-dataset',
    schemaVersion: 1,
    platform: dataset.platform,
    source: dataset.source,
    target: dataset.target,
    complete: dataset.state.complete,
    warnings: [...dataset.state.warnings],
    account: { ...dataset.account },
    capabilities: dataset.capabilities,
    availability: dataset.availability,
    followerIds: dataset.followerIds === null ? null : [...dataset.followerIds],
    followingIds: dataset.followingIds === null ? null : [...dataset.followingIds],
    likesGiven: dataset.likesGiven,
    asOf: dataset.asOf ?? null,
    posts,
    interactions,
  };
}

/**
 * `pull --redact`: other accounts in a saved dataset become stable pseudonyms (ids too), and so do
 * the addresses that would name them: the post a post answers, reposts or quotes, a repost's id when
 * it carries the reposted post's address, and the ids of other people's replies. A repost's URL (the
 * reposted post's) is left out. Pseudonyms are stable, so an audit of the redacted dataset gives the
 * same metrics as one of the original.
 */
export function redactSaved(saved: SavedDataset): SavedDataset {
  const selfHandle = saved.account.handle?.toLowerCase() ?? null;
  const selfId = saved.account.id;
  const keep = (h: string): boolean => h.toLowerCase() === selfHandle;
  const isSelf = (r: AccountRef): boolean => (r.id !== undefined && r.id === selfId) || (r.handle !== undefined && keep(r.handle));
  const ref = (r: AccountRef) => {
    const out: { id?: string; handle?: string } = {};
    if (r.id !== undefined) out.id = r.id === selfId ? r.id : pseudonym(`id:${r.id}`);
    if (r.handle !== undefined) out.handle = keep(r.handle) ? r.handle : pseudonym(r.handle);
    return out;
  };
  return {
    ...saved,
    followerIds: saved.followerIds?.map((id) => pseudonym(`id:${id}`)) ?? null,
    followingIds: saved.followingIds?.map((id) => pseudonym(`id:${id}`)) ?? null,
    posts: saved.posts.map((p) => {
      const post = { ...p, mentions: p.mentions.map(ref) };
      const other = p.target === undefined || !isSelf(p.target);
      if (p.target) post.target = ref(p.target);
      if (p.text !== undefined) post.text = redactMentions(p.text, keep);
      if (p.kind === 'repost') delete post.url;
      if (p.targetPostId !== undefined && other) post.targetPostId = postPseudonym(p.targetPostId);
      if (p.kind === 'repost' && p.target !== undefined && other && namesAccount(p.id, p.target)) post.id = postPseudonym(p.id);
      return post;
    }),
    interactions:
      saved.interactions?.map((i) => {
        const out: Interaction = { ...i, actor: keep(i.actor) ? i.actor : pseudonym(i.actor) };
        if (i.parentActor !== undefined) out.parentActor = keep(i.parentActor) ? i.parentActor : pseudonym(i.parentActor);
        // Reply ids are only compared with each other (responsiveness): the same stand-in keeps them equal.
        if (i.id !== undefined) out.id = postPseudonym(i.id);
        if (i.parentId !== undefined) out.parentId = postPseudonym(i.parentId);
        return out;
      }) ?? null,
  };
}
