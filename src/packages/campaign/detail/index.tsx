import { Text, View } from '@tarojs/components';
import Taro, { useLoad, useShareAppMessage } from '@tarojs/taro';
import { sharePath } from '../../../../core/entry/share';
import { describeTerms } from '../../../../core/coupon/labels';
import { ActionBar } from '../../../components/ActionBar';
import { termsOf } from '../../../components/CouponCard';
import { StatusView } from '../../../components/StatusView';
import { CAMPAIGN_PAGE, COUPON_CENTER_PAGE, MEMBER_PAGE } from '../../../routes';
import { goHome, openPage } from '../../../services/navigation';
import { useCampaignStore } from '../../../stores/useCampaignStore';
import { centerKey, EMPTY_CENTER, useCouponCenterStore } from '../../../stores/useCouponCenterStore';
import { useMemberStore } from '../../../stores/useMemberStore';
import { Button, Tag } from '../../../ui';
import './index.css';

/** How many of the campaign's coupons the page names before 领取优惠券. */
const PREVIEW_COUPONS = 3;

/** A campaign an article code or a share card leads to. */
export default function CampaignDetail() {
  const { campaign, article, status, error, failure, load } = useCampaignStore();
  const member = useMemberStore((state) => state.member);
  const params = (Taro.getCurrentInstance().router?.params ?? {}) as Record<string, string | undefined>;
  const id = params.campaign;
  const coupons = useCouponCenterStore((state) => state.centers[centerKey(id)]) ?? EMPTY_CENTER;
  const loadCoupons = useCouponCenterStore((state) => state.load);

  useLoad(() => {
    if (id) {
      void load(id, params.article);
      // Read with the campaign: the coupon center then opens without a skeleton.
      void loadCoupons(id);
    }
    if (!useMemberStore.getState().member) void useMemberStore.getState().login();
  });

  useShareAppMessage(() => ({
    title: campaign ? campaign.name : '一起来看看这个活动',
    path: member
      ? sharePath({ sharer: member._id, campaign: id, article: params.article, to: CAMPAIGN_PAGE })
      : `/${CAMPAIGN_PAGE}?campaign=${encodeURIComponent(id ?? '')}`,
  }));

  if (!id) {
    return <StatusView status="ready" empty emptyText="没有找到这个活动" />;
  }
  // Coupons that are over lead nowhere worth a main button.
  const offered = coupons.templates.filter((t) => t.state !== 'ended');
  const hasCoupons = campaign?.active === true && offered.length > 0;
  const openCoupons = () => void openPage(COUPON_CENTER_PAGE, { campaign: id });
  const openMember = () => void openPage(MEMBER_PAGE);

  return (
    <StatusView status={status} error={error} errorCode={failure?.code} onRetry={() => void load(id, params.article)}>
      {campaign ? (
        <View className="campaign-page">
          <View className="campaign" data-testid="campaign">
            <View className="campaign__head">
              <Text className="campaign__name" data-testid="campaign-name">
                {campaign.name}
              </Text>
              {campaign.active ? <Tag type="danger">进行中</Tag> : <Tag type="default">已结束</Tag>}
            </View>
            {campaign.description ? <Text className="campaign__desc">{campaign.description}</Text> : null}
            {campaign.endsAt ? <Text className="campaign__time">截止 {campaign.endsAt.slice(0, 10)}</Text> : null}
            {article ? (
              <Text className="campaign__source" data-testid="campaign-article">
                来自文章《{article.title}》
              </Text>
            ) : null}
          </View>
          {hasCoupons ? (
            <View className="campaign__coupons" data-testid="campaign-coupons" onClick={openCoupons}>
              <Text className="campaign__coupons-title">活动优惠券</Text>
              <View className="campaign__chips">
                {offered.slice(0, PREVIEW_COUPONS).map((template) => {
                  const terms = describeTerms(termsOf(template.terms));
                  return (
                    <View key={template.templateId} className="campaign__chip">
                      <Text className="campaign__chip-value">{terms.value}</Text>
                      <Text className="campaign__chip-condition">{terms.condition}</Text>
                    </View>
                  );
                })}
              </View>
            </View>
          ) : null}
          <View className="campaign__links">
            {hasCoupons ? (
              <Text className="campaign__link" onClick={openMember} data-testid="campaign-member">
                会员中心
              </Text>
            ) : null}
            <Text className="campaign__link" onClick={() => void goHome()} data-testid="campaign-home">
              回到首页
            </Text>
          </View>
          <ActionBar>
            {hasCoupons ? (
              <Button type="primary" block onClick={openCoupons} data-testid="campaign-claim">
                领取优惠券
              </Button>
            ) : (
              <Button type="primary" block onClick={openMember} data-testid="campaign-member">
                进入会员中心
              </Button>
            )}
          </ActionBar>
        </View>
      ) : null}
    </StatusView>
  );
}
