import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { ClaimableCoupons } from '../../components/ClaimableCoupons';
import { GroupShowcase } from '../../components/GroupShowcase';
import { NoticeBanner } from '../../components/NoticeBanner';
import { ProductGrid } from '../../components/ProductGrid';
import { StatusView } from '../../components/StatusView';
import { shanghaiDate } from '../../../core/coupon/labels';
import {
  BARGAIN_TASK_PAGE,
  CAMPAIGN_PAGE,
  COUPON_CENTER_PAGE,
  GROUP_ACTIVITY_PAGE,
  GROUP_LIST_PAGE,
  HELP_TASK_PAGE,
  LOTTERY_PAGE,
  POINTS_CENTER_PAGE,
  POINTS_MALL_PAGE,
  PRODUCT_DETAIL_PAGE,
  PRODUCT_LIST_PAGE,
} from '../../routes';
import { openPage } from '../../services/navigation';
import { centerKey, EMPTY_CENTER, useCouponCenterStore } from '../../stores/useCouponCenterStore';
import { useGroupListStore } from '../../stores/useGroupListStore';
import { EMPTY_LIST, listKey, useProductListStore } from '../../stores/useProductListStore';
import { useRunningCampaignsStore } from '../../stores/useRunningCampaignsStore';
import './index.css';

/** How many coupons the storefront shows before 查看全部. */
const HOME_COUPONS = 3;
/** How many products the storefront shows before 查看全部: three rows of two. */
const HOME_PRODUCTS = 6;

/** Four to a row: what a reader can do here, each a mark and its name. */
const ENTRIES = [
  { key: 'coupons', mark: '券', title: '领券中心', page: COUPON_CENTER_PAGE },
  { key: 'groups', mark: '团', title: '拼团', page: GROUP_LIST_PAGE },
  { key: 'help', mark: '助', title: '好友助力', page: HELP_TASK_PAGE },
  { key: 'bargain', mark: '砍', title: '砍价', page: BARGAIN_TASK_PAGE },
  { key: 'mall', mark: '积', title: '积分商城', page: POINTS_MALL_PAGE },
  { key: 'checkin', mark: '签', title: '签到', page: POINTS_CENTER_PAGE },
  { key: 'lottery', mark: '抽', title: '积分抽奖', page: LOTTERY_PAGE },
  { key: 'products', mark: '品', title: '全部商品', page: PRODUCT_LIST_PAGE },
];

/** The brand's storefront: what a reader can do here today, coupons first. */
export default function Home() {
  const storefront = useCouponCenterStore((state) => state.centers[centerKey()]) ?? EMPTY_CENTER;
  const load = useCouponCenterStore((state) => state.load);
  const shelf = useProductListStore((state) => state.lists[listKey()]) ?? EMPTY_LIST;
  const loadProducts = useProductListStore((state) => state.load);
  const campaigns = useRunningCampaignsStore((state) => state.campaigns);
  const loadCampaigns = useRunningCampaignsStore((state) => state.load);
  const groupBuys = useGroupListStore((state) => state.activities);
  const loadGroupBuys = useGroupListStore((state) => state.load);
  // A tab page stays alive: each return to it refreshes coupons, prices, stock and groups behind what is shown.
  useDidShow(() => {
    void load();
    void loadProducts();
    void loadCampaigns();
    void loadGroupBuys();
  });

  // Worth claiming now; a card just claimed stays, showing 已领取, rather than vanishing under the finger.
  const coupons = storefront.templates.filter((t) => t.state === 'available' || t.state === 'claimed').slice(0, HOME_COUPONS);
  const openCenter = () => void openPage(COUPON_CENTER_PAGE);
  const openProducts = () => void openPage(PRODUCT_LIST_PAGE);

  return (
    <View className="home">
      <NoticeBanner />
      <View className="home__hero">
        <Text className="home__title">欢迎来到 Duet</Text>
        <Text className="home__subtitle">公众号与小程序，一个会员</Text>
      </View>
      <View className="home__entries">
        {ENTRIES.map((entry) => (
          <View key={entry.key} className="home__entry" data-testid={`home-entry-${entry.key}`} onClick={() => void openPage(entry.page)}>
            <View className={`home__mark home__mark--${entry.key}`}>
              <Text>{entry.mark}</Text>
            </View>
            <Text className="home__entry-title">{entry.title}</Text>
          </View>
        ))}
      </View>
      {/* Running campaigns, when there are any: a storefront without one shows no empty box for them. */}
      {campaigns.length > 0 ? (
        <View className="home__section" data-testid="home-campaigns">
          <View className="home__section-head">
            <Text className="home__section-title">进行中的活动</Text>
          </View>
          {campaigns.map((campaign) => (
            <View
              key={campaign._id}
              className="home__campaign"
              data-testid={`home-campaign-${campaign._id}`}
              onClick={() => void openPage(CAMPAIGN_PAGE, { campaign: campaign._id })}
            >
              <View className="home__campaign-text">
                <Text className="home__campaign-name">{campaign.name}</Text>
                {campaign.description ? <Text className="home__campaign-desc">{campaign.description}</Text> : null}
              </View>
              <Text className="home__campaign-until">{campaign.endsAt ? `${shanghaiDate(campaign.endsAt)}截止` : '长期有效'}</Text>
              <Text className="home__chevron">›</Text>
            </View>
          ))}
        </View>
      ) : null}
      {/* Group-buys running now, when there are any: groups to join first (who is in, 还差 N 人). */}
      {groupBuys.length > 0 ? (
        <View className="home__section" data-testid="home-groups">
          <View className="home__section-head">
            <Text className="home__section-title">拼团</Text>
            <View className="home__more" onClick={() => void openPage(GROUP_LIST_PAGE)} data-testid="home-groups-all">
              <Text>查看全部</Text>
              <Text className="home__chevron">›</Text>
            </View>
          </View>
          <GroupShowcase cards={groupBuys} onOpen={(card) => void openPage(GROUP_ACTIVITY_PAGE, { id: card.activity.activityId })} />
        </View>
      ) : null}
      <View className="home__section" data-testid="home-coupons">
        <View className="home__section-head">
          <Text className="home__section-title">领券</Text>
          <View className="home__more" onClick={openCenter} data-testid="home-coupons-all">
            <Text>查看全部</Text>
            <Text className="home__chevron">›</Text>
          </View>
        </View>
        <StatusView
          status={storefront.status}
          error={storefront.error}
          errorCode={storefront.failure?.code}
          onRetry={() => void load()}
          empty={coupons.length === 0}
          emptyText="今天的优惠券已经领完了，去领券中心看看"
          emptyAction={{ label: '去领券中心', onClick: openCenter }}
        >
          <ClaimableCoupons templates={coupons} serverTime={storefront.serverTime} />
        </StatusView>
      </View>
      <View className="home__section" data-testid="home-products">
        <View className="home__section-head">
          <Text className="home__section-title">精选好物</Text>
          <View className="home__more" onClick={openProducts} data-testid="home-products-all">
            <Text>查看全部</Text>
            <Text className="home__chevron">›</Text>
          </View>
        </View>
        <StatusView
          status={shelf.status}
          error={shelf.error}
          errorCode={shelf.failure?.code}
          onRetry={() => void loadProducts()}
          empty={shelf.products.length === 0}
          emptyText="新品正在上架，先去领几张券吧"
          emptyAction={{ label: '去领券中心', onClick: openCenter }}
        >
          <ProductGrid
            products={shelf.products.slice(0, HOME_PRODUCTS)}
            onOpen={(product) => void openPage(PRODUCT_DETAIL_PAGE, { id: product.productId })}
          />
        </StatusView>
      </View>
    </View>
  );
}
