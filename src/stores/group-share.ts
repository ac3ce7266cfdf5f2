import type { ActivityView, GroupView } from '../../core/contracts/groupbuy';
import { sharePath } from '../../core/entry/share';
import { GROUP_ACTIVITY_PAGE, GROUP_INVITE_PAGE, pageUrl } from '../routes';

/**
 * Share cards of group-buys. The title names the offer (price, product, seats missing); nothing in
 * it asks for a share or promises anything for one (PLATFORM.md: no reward for sharing).
 */
export interface ShareCardContent {
  title: string;
  path: string;
  imageUrl?: string;
}

/** ¥39, or ¥39.90 when there are fen: how a card's title says a price. */
export function priceWords(fen: number): string {
  const yuan = fen / 100;
  return `¥${Number.isInteger(yuan) ? String(yuan) : yuan.toFixed(2)}`;
}

/** The price of the SKU the group is bought at: the activity's lowest group price. */
function offerOf(activity: Pick<ActivityView, 'groupPrice' | 'productName'>): string {
  return `${priceWords(activity.groupPrice)} 拼${activity.productName}`;
}

/**
 * Through the landing page, so the friend's visit is attributed to the sharer; straight to the page
 * when the sharer is unknown (login failed), so a card still opens the right thing.
 */
export function sharedPagePath(page: string, id: string, sharer: string | null): string {
  return sharer ? sharePath({ sharer, to: page, id }) : pageUrl(page, { id });
}

/** The invite card: ¥39 拼樱花陶瓷马克杯，还差1人. */
export function inviteShareCard(
  group: Pick<GroupView, 'groupId' | 'state' | 'missing'>,
  activity: Pick<ActivityView, 'groupPrice' | 'productName' | 'imageUrl'>,
  sharer: string | null,
): ShareCardContent {
  const live = group.state === 'open' && group.missing > 0;
  return {
    title: live ? `${offerOf(activity)}，还差${group.missing}人` : offerOf(activity),
    path: sharedPagePath(GROUP_INVITE_PAGE, group.groupId, sharer),
    ...(activity.imageUrl ? { imageUrl: activity.imageUrl } : {}),
  };
}

/** The activity card: ¥39 拼樱花陶瓷马克杯，2人成团. */
export function activityShareCard(
  activity: Pick<ActivityView, 'activityId' | 'groupPrice' | 'productName' | 'imageUrl' | 'size'>,
  sharer: string | null,
): ShareCardContent {
  return {
    title: `${offerOf(activity)}，${activity.size}人成团`,
    path: sharedPagePath(GROUP_ACTIVITY_PAGE, activity.activityId, sharer),
    ...(activity.imageUrl ? { imageUrl: activity.imageUrl } : {}),
  };
}

/**
 * H5: the address a friend opens for a card's path — this app's own origin and page, with the path
 * in the hash (the H5 router's mode). Never the current URL: that may name the sharer's persona.
 */
export function h5Url(path: string, location: { origin: string; pathname: string }): string {
  return `${location.origin}${location.pathname}#${path.startsWith('/') ? path : `/${path}`}`;
}
