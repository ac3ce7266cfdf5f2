import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { MyGroupCard } from '../../../components/MyGroupCard';
import { StatusView } from '../../../components/StatusView';
import { GROUP_INVITE_PAGE, GROUP_LIST_PAGE } from '../../../routes';
import { openPage } from '../../../services/navigation';
import { useMyGroupsStore } from '../../../stores/useMyGroupsStore';
import './index.css';

/** 我的拼团: the member's groups with their states; each opens its invite page. */
export default function MyGroups() {
  const { status, groups, offsetMs, error, failure, load } = useMyGroupsStore();
  // Every visit refreshes: a group may have filled, failed or been refunded meanwhile.
  useDidShow(() => void load());
  return (
    <View className="my-groups" data-testid="my-groups">
      <StatusView
        status={status}
        error={error}
        errorCode={failure?.code}
        onRetry={() => void load()}
        empty={groups.length === 0}
        emptyText="还没有参加过拼团，和好友一起拼更划算"
        emptyAction={{ label: '去逛逛', onClick: () => void openPage(GROUP_LIST_PAGE) }}
      >
        {groups.map((view) => (
          <MyGroupCard
            key={view.group.groupId}
            view={view}
            offsetMs={offsetMs}
            onOpen={() => void openPage(GROUP_INVITE_PAGE, { id: view.group.groupId })}
          />
        ))}
      </StatusView>
    </View>
  );
}
