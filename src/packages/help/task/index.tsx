import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, useShareAppMessage } from '@tarojs/taro';
import { useMemo } from 'react';
import type { HelpCampaignView, TaskView } from '../../../../core/contracts/help';
import { ActionBar } from '../../../components/ActionBar';
import { PayCountdown } from '../../../components/PayCountdown';
import { StatusView } from '../../../components/StatusView';
import { COUPON_DETAIL_PAGE, HELP_TASK_PAGE, POINTS_CENTER_PAGE } from '../../../routes';
import { goHome, openPage, pageParams } from '../../../services/navigation';
import { h5Url } from '../../../stores/group-share';
import { helpShareCard } from '../../../stores/help-share';
import { campaignAction, myTaskLine, useHelpListStore } from '../../../stores/useHelpListStore';
import { type HelpOutcome, type HelpTarget, keyOf, useHelpTaskStore } from '../../../stores/useHelpTaskStore';
import { useMemberStore } from '../../../stores/useMemberStore';
import { Button } from '../../../ui';
import './index.css';

const toast = (title: string) => void Taro.showToast({ title, icon: 'none', duration: 2500 });
const report = (outcome: HelpOutcome) => {
  if (outcome.kind !== 'busy' && outcome.message) toast(outcome.message);
};

/**
 * 好友助力 (query `campaign`: the campaign, start my task or see it; query `id`: one task). The owner
 * sees the rule in one line, the helpers as avatars with empty seats and the time left; a friend who
 * opened the card sees what their friend wants and 帮TA助力 in the state the server answered.
 */
export default function HelpTask() {
  const params = pageParams();
  const target: HelpTarget | null = params.id ? { taskId: params.id } : params.campaign ? { campaignId: params.campaign } : null;
  const store = useHelpTaskStore();
  const member = useMemberStore((state) => state.member);
  useDidShow(() => {
    // Every visit reads again: friends help while the page is away (in the chat).
    if (target) void store.load(target);
    else void useHelpListStore.getState().load();
    // The card names the sharer: a silent login, if not done yet.
    if (!useMemberStore.getState().member) void useMemberStore.getState().login();
  });
  const current = target && store.key === keyOf(target);
  const task = current ? store.task : null;
  const campaign = current ? store.campaign : null;
  useShareAppMessage(() => {
    if (!task) return { title: campaign?.title ?? '好友助力' };
    return helpShareCard(task, member?._id ?? null);
  });

  if (!target) return <HelpList />;
  const status = current ? store.status : 'loading';
  return (
    <StatusView status={status} error={store.error} errorCode={store.failure?.code} onRetry={() => void store.load(target)}>
      {task ? (
        <TaskBody task={task} canRestart={Boolean(campaign?.canStart)} sharer={member?._id ?? null} />
      ) : campaign ? (
        <CampaignBody campaign={campaign} />
      ) : null}
    </StatusView>
  );
}

/** Without a campaign or a task (the storefront's 好友助力, the member center's 我的助力): my tasks, then the running campaigns. */
function HelpList() {
  const list = useHelpListStore();
  return (
    <StatusView
      status={list.status}
      error={list.error}
      errorCode={list.failure?.code}
      onRetry={() => void list.load()}
      empty={list.campaigns.length === 0 && list.myTasks.length === 0}
      emptyText="现在没有进行中的助力活动"
      emptyAction={{ label: '去首页看看', onClick: () => void goHome() }}
    >
      <View className="help-list">
        {list.myTasks.length > 0 ? (
          <View className="help-list__group" data-testid="help-mine-list">
            <Text className="help-list__title">我的助力</Text>
            {list.myTasks.map((task) => (
              <View
                key={task.taskId}
                className="help-list__item"
                onClick={() => void openPage(HELP_TASK_PAGE, { id: task.taskId })}
                data-testid="help-mine-item"
              >
                <Text className="help-list__name">{task.title}</Text>
                <Text className="help-list__line">{task.rewardText}</Text>
                <Text className={`help-list__state help-list__state--${task.state}`}>{myTaskLine(task)}</Text>
              </View>
            ))}
          </View>
        ) : null}
        {list.campaigns.length > 0 ? (
          <View className="help-list__group" data-testid="help-list">
            <Text className="help-list__title">正在进行的助力</Text>
            {list.campaigns.map((campaign) => (
              <View
                key={campaign.campaignId}
                className="help-list__item"
                onClick={() => void openPage(HELP_TASK_PAGE, { campaign: campaign.campaignId })}
                data-testid="help-list-item"
              >
                <Text className="help-list__name">{campaign.title}</Text>
                <Text className="help-list__line">{campaign.rule}</Text>
                <Text className="help-list__go">{campaignAction(campaign.campaignId, list.myTasks)}</Text>
              </View>
            ))}
          </View>
        ) : null}
      </View>
    </StatusView>
  );
}

/** Before the member's first task: the rule in one line, who may help, and 发起助力. */
function CampaignBody({ campaign }: { campaign: HelpCampaignView }) {
  const { acting, start } = useHelpTaskStore();
  return (
    <View className="help-task" data-testid="help-campaign">
      <View className="help-task__card">
        <Text className="help-task__title">{campaign.title}</Text>
        <Text className="help-task__rule" data-testid="help-rule">
          {campaign.rule}
        </Text>
        <View className="help-task__seats">
          {Array.from({ length: campaign.helpersNeeded }, (_, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: empty seats are all alike
            <EmptySeat key={i} />
          ))}
        </View>
        <Text className="help-task__note">{campaign.audienceLine}</Text>
        <Text className="help-task__note">发起后 {campaign.taskHours} 小时内有效</Text>
      </View>
      <ActionBar>
        <Button
          type="primary"
          block
          loading={acting}
          disabled={!campaign.canStart || acting}
          onClick={() => void start().then(report)}
          data-testid="help-start"
        >
          {campaign.canStart ? '发起助力' : (campaign.startRefusal ?? '暂不可发起')}
        </Button>
      </ActionBar>
    </View>
  );
}

function EmptySeat() {
  return (
    <View className="help-task__seat" data-testid="help-seat-empty">
      <View className="help-task__circle help-task__circle--empty">
        <Text>?</Text>
      </View>
      <Text className="help-task__name">待助力</Text>
    </View>
  );
}

function headline(task: TaskView): { title: string; tone: 'live' | 'done' | 'off' } {
  if (task.state === 'completed') {
    if (!task.mine) return { title: `${task.ownerName} 已完成助力`, tone: 'done' };
    if (task.reward.state === 'issued') return { title: '助力成功，奖励已到账', tone: 'done' };
    // The sweep issues a reward a cut-off call left pending; a coupon that ran out is the operator's to settle.
    return { title: task.reward.state === 'sold_out' ? '助力成功，奖励已发完，请联系客服' : '助力成功，奖励发放中', tone: 'done' };
  }
  if (task.state === 'expired') return { title: '助力已结束', tone: 'off' };
  return { title: `还差 ${task.missing} 位好友助力`, tone: 'live' };
}

function TaskBody({ task, canRestart, sharer }: { task: TaskView; canRestart: boolean; sharer: string | null }) {
  const { acting, offsetMs, leftMs, help, start, load } = useHelpTaskStore();
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-taken when the task or the clock offset is read again
  const left = useMemo(() => leftMs(), [task.expiresAt, offsetMs, leftMs]);
  const head = headline(task);
  const live = task.state === 'open' && left > 0;
  const reload = () => void load({ taskId: task.taskId });
  const copyLink = async () => {
    // H5 only (the mini-program shares a card instead).
    if (process.env.TARO_ENV !== 'h5') return;
    await Taro.setClipboardData({ data: h5Url(helpShareCard(task, sharer).path, window.location) });
    toast('已复制');
  };

  return (
    <View className="help-task" data-testid="help-task">
      <View className="help-task__card">
        <Text className="help-task__title">{task.title}</Text>
        {task.mine ? null : (
          <Text className="help-task__ask" data-testid="help-ask">
            {task.ownerName} 想要 {task.rewardText}，需要 {task.helpersNeeded} 位好友助力
          </Text>
        )}
        <Text className={`help-task__headline help-task__headline--${head.tone}`} data-testid="help-state">
          {head.title}
        </Text>
        {live ? (
          <Text className="help-task__countdown" data-testid="help-countdown">
            <PayCountdown remainingMs={left} onEnd={reload} before="剩余 " after=" 结束" />
          </Text>
        ) : null}
        <View className="help-task__seats" data-testid="help-seats">
          {task.seats.map((seat, i) =>
            seat ? (
              // biome-ignore lint/suspicious/noArrayIndexKey: seats have no id and keep their order
              <View key={i} className="help-task__seat" data-testid="help-seat">
                <View className={`help-task__circle help-task__circle--c${i % 5}`}>
                  <Text>{seat.initial}</Text>
                </View>
                <Text className="help-task__name">{seat.name}</Text>
              </View>
            ) : (
              // biome-ignore lint/suspicious/noArrayIndexKey: empty seats are all alike
              <EmptySeat key={i} />
            ),
          )}
        </View>
        <Text className="help-task__rule" data-testid="help-rule">
          {task.rule}
        </Text>
        <Text className="help-task__note">{task.audienceLine}</Text>
        {!task.mine && !task.viewer.canHelp && task.viewer.message ? (
          <Text className="help-task__why" data-testid="help-why">
            {task.viewer.message}
          </Text>
        ) : null}
      </View>

      <View className="help-task__links">
        {!task.mine ? (
          <Button fill="none" onClick={() => void openPage(HELP_TASK_PAGE, { campaign: task.campaignId })} data-testid="help-mine">
            我也要发起
          </Button>
        ) : null}
      </View>

      <ActionBar>
        <MainButton
          task={task}
          live={live}
          acting={acting}
          canRestart={canRestart}
          onHelp={() => void help().then(report)}
          onStart={() => void start().then(report)}
          onCopy={() => void copyLink()}
        />
      </ActionBar>
    </View>
  );
}

interface MainButtonProps {
  task: TaskView;
  live: boolean;
  acting: boolean;
  canRestart: boolean;
  onHelp: () => void;
  onStart: () => void;
  /** H5 only: copies the card's link (the mini-program shares the card instead). */
  onCopy: () => void;
}

/** The page's one action, in the state the server answered. */
function MainButton({ task, live, acting, canRestart, onHelp, onStart, onCopy }: MainButtonProps) {
  if (task.mine) {
    if (task.state === 'completed') {
      const couponId = task.reward.couponId;
      if (task.reward.kind === 'coupon' && !couponId) {
        return (
          <Button type="primary" block disabled data-testid="help-main">
            {task.reward.state === 'sold_out' ? '奖励已发完' : '奖励发放中'}
          </Button>
        );
      }
      return couponId ? (
        <Button type="primary" block onClick={() => void openPage(COUPON_DETAIL_PAGE, { id: couponId })} data-testid="help-main">
          查看奖励
        </Button>
      ) : (
        <Button type="primary" block onClick={() => void openPage(POINTS_CENTER_PAGE)} data-testid="help-main">
          查看积分
        </Button>
      );
    }
    if (!live) {
      return (
        <Button type="primary" block loading={acting} disabled={!canRestart || acting} onClick={onStart} data-testid="help-main">
          {canRestart ? '重新发起' : '助力已结束'}
        </Button>
      );
    }
    return process.env.TARO_ENV === 'weapp' ? (
      <Button type="primary" block openType="share" data-testid="help-main">
        邀请好友助力
      </Button>
    ) : (
      <Button type="primary" block onClick={onCopy} data-testid="help-copy">
        复制助力链接
      </Button>
    );
  }
  const label = task.viewer.helped ? '已助力' : task.viewer.canHelp ? '帮TA助力' : '无法助力';
  return (
    <Button type="primary" block loading={acting} disabled={!task.viewer.canHelp || acting} onClick={onHelp} data-testid="help-main">
      {label}
    </Button>
  );
}
