import { BlockList, isIP } from 'node:net';
import type { OutgoingEvent } from '../shared/events';
import type { WebhookSubscription } from './schema';

/** Waits before each attempt: at once, then backing off until the last one, more than a day after the first. */
export const DELIVERY_SCHEDULE_MS = [0, 60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000, 12 * 3_600_000, 24 * 3_600_000];

/** Deliveries that fail for good in a row before a subscription is disabled and its owner told. */
export const DISABLE_AFTER_FAILED_DELIVERIES = 5;

export const wantsEvent = (subscription: Pick<WebhookSubscription, 'enabled' | 'eventTypes'>, eventType: string) =>
  subscription.enabled && (subscription.eventTypes as readonly string[]).includes(eventType);

/** The CloudEvents 1.0 JSON envelope of a domain event. */
export function toCloudEvent(event: OutgoingEvent & { orgId: string }) {
  return {
    specversion: '1.0',
    id: event.id,
    source: `/breach-response/orgs/${event.orgId}`,
    type: event.name,
    time: new Date(event.ts).toISOString(),
    datacontenttype: 'application/json',
    data: event.data,
  };
}

const alwaysBlocked = new BlockList();
// Link-local (cloud metadata lives there: 169.254.169.254, fd00:ec2::254) and unspecified addresses, on every stage.
alwaysBlocked.addSubnet('169.254.0.0', 16, 'ipv4');
alwaysBlocked.addSubnet('0.0.0.0', 8, 'ipv4');
alwaysBlocked.addSubnet('fe80::', 10, 'ipv6');
alwaysBlocked.addAddress('fd00:ec2::254', 'ipv6');
alwaysBlocked.addAddress('::', 'ipv6');

const privateOrLoopback = new BlockList();
for (const [net, bits] of [
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['127.0.0.0', 8],
  ['100.64.0.0', 10],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  privateOrLoopback.addSubnet(net, bits, 'ipv4');
}
privateOrLoopback.addAddress('::1', 'ipv6');
privateOrLoopback.addSubnet('fc00::', 7, 'ipv6');
privateOrLoopback.addSubnet('ff00::', 8, 'ipv6');

/**
 * Whether a webhook may be sent to this address. Outside `local` only public addresses; on `local`, loopback and
 * private addresses are allowed so local receivers work — link-local and metadata addresses never are.
 */
export function isDeliverableAddress(address: string, stage: string): boolean {
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  const mapped = family === 'ipv6' && address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : undefined;
  if (mapped && isIP(mapped) === 4) return isDeliverableAddress(mapped, stage);
  if (alwaysBlocked.check(address, family)) return false;
  return stage === 'local' || !privateOrLoopback.check(address, family);
}

/** Where a subscription may point: https outside `local` (http too on `local`), no credentials in the URL. */
export function urlProblem(url: URL, stage: string): string | undefined {
  if (url.protocol !== 'https:' && !(stage === 'local' && url.protocol === 'http:'))
    return stage === 'local' ? 'must be http or https' : 'must be https';
  if (url.username || url.password) return 'must not carry credentials';
  if (isIP(url.hostname.replace(/^\[|\]$/g, '')) && !isDeliverableAddress(url.hostname.replace(/^\[|\]$/g, ''), stage))
    return 'points at an address webhooks are never sent to';
  return undefined;
}
