import { Text, View } from '@tarojs/components';
import Taro, { useLoad, useShareAppMessage } from '@tarojs/taro';
import { sharePath } from '../../../../core/entry/share';
import { StatusView } from '../../../components/StatusView';
import { CAMPAIGN_PAGE } from '../../../routes';
import { goHome } from '../../../services/navigation';
import { useCampaignStore } from '../../../stores/useCampaignStore';
import { useMemberStore } from '../../../stores/useMemberStore';
import { Button, Tag } from '../../../ui';
import './index.css';

/** A campaign an article code or a share card leads to. */
export default function CampaignDetail() {
  const { campaign, article, status, error, failure, load } = useCampaignStore();
  const member = useMemberStore((state) => state.member);
  const params = (Taro.getCurrentInstance().router?.params ?? {}) as Record<string, string | undefined>;
  const id = params.campaign;

  useLoad(() => {
    if (id) void load(id, params.article);
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
  return (
    <StatusView status={status} error={error} errorCode={failure?.code} onRetry={() => void load(id, params.article)}>
      {campaign ? (
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
          <View className="campaign__actions">
            <Button type="primary" block onClick={() => void Taro.switchTab({ url: '/pages/member/index' })}>
              进入会员中心
            </Button>
            <Button fill="none" block onClick={() => void goHome()} data-testid="campaign-home">
              回到首页
            </Button>
          </View>
        </View>
      ) : null}
    </StatusView>
  );
}
