/** The audit registry: order here is the order in reports, `list-audits` and the help. */
import type { Audit } from './define-audit.js';
import followRatio from './follow-ratio.js';
import followBack from './follow-back.js';
import audienceQuality from './audience-quality.js';
import engagementRate from './engagement-rate.js';
import conversationShare from './conversation-share.js';
import responsiveness from './responsiveness.js';
import twoWay from './two-way.js';
import sharing from './sharing.js';
import automation from './automation.js';
import cadence from './cadence.js';
import freshness from './freshness.js';

export const AUDITS = [
  followRatio,
  followBack,
  audienceQuality,
  engagementRate,
  conversationShare,
  responsiveness,
  twoWay,
  sharing,
  automation,
  cadence,
  freshness,
] as const satisfies readonly Audit[];

export type { Audit, AuditDefinition, AuditInput } from './define-audit.js';
