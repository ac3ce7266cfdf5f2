import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { GroupActivityCard } from '../../../components/GroupActivityCard';
import { StatusView } from '../../../components/StatusView';
import { GROUP_ACTIVITY_PAGE, PRODUCT_LIST_PAGE } from '../../../routes';
import { openPage } from '../../../services/navigation';
import { useGroupListStore } from '../../../stores/useGroupListStore';
import './index.css';

/** Running group-buys (the storefront's 拼团 entry): each leads to its activity page. */
export default function GroupList() {
  const { status, activities, error, failure, load } = useGroupListStore();
  // Every visit refreshes: groups open and fill while the page is away.
  useDidShow(() => void load());
  return (
    <View className="group-list" data-testid="group-list">
      <StatusView
        status={status}
        error={error}
        errorCode={failure?.code}
        onRetry={() => void load()}
        empty={activities.length === 0}
        emptyText="拼团活动正在筹备，先看看其他好物吧"
        emptyAction={{ label: '去逛逛', onClick: () => void openPage(PRODUCT_LIST_PAGE) }}
      >
        {activities.map((card) => (
          <GroupActivityCard
            key={card.activity.activityId}
            card={card}
            onOpen={() => void openPage(GROUP_ACTIVITY_PAGE, { id: card.activity.activityId })}
          />
        ))}
      </StatusView>
    </View>
  );
}
