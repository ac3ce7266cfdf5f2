import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, useLoad, useShareAppMessage } from '@tarojs/taro';
import { useMemo, useState } from 'react';
import type { BargainOfferView, TaskView } from '../../../../core/contracts/bargain';
import { fenText } from '../../../../core/fission/bargain';
import { ActionBar } from '../../../components/ActionBar';
import { AddressForm, AddressSummary } from '../../../components/AddressForm';
import { GroupCover } from '../../../components/GroupCover';
import { PayCountdown } from '../../../components/PayCountdown';
import { StatusView } from '../../../components/StatusView';
import { BARGAIN_TASK_PAGE, ORDER_DETAIL_PAGE, PRODUCT_LIST_PAGE, pageUrl } from '../../../routes';
import { openPage, pageParams } from '../../../services/navigation';
import { taskShareCard } from '../../../stores/bargain-share';
import { h5Url } from '../../../stores/group-share';
import { type BargainOutcome, type BargainPhase, type BuyOutcome, useBargainStore } from '../../../stores/useBargainStore';
import { useMemberStore } from '../../../stores/useMemberStore';
import { Button, Price, yuanOf } from '../../../ui';
import { Popup } from '../../../ui/popup';
import './index.css';

const toast = (title: string) => void Taro.showToast({ title, icon: 'none', duration: 2500 });
const report = (outcome: BargainOutcome) => {
  if (outcome.kind !== 'busy') toast(outcome.message);
};

const PHASE_LABELS: Record<Exclude<BargainPhase, 'idle'>, string> = {
  starting: '正在发起',
  cutting: '正在砍价',
  buying: '正在下单',
  paying: '支付中',
  confirming: '支付确认中',
};

/**
 * 砍价 (query `bargain`: the offer with the caller's task in it; query `id`: a task — what a share card
 * opens, for its owner and for a friend). Every cut is shown before anyone is asked: N friends, each
 * cut, the last one and the floor. The owner may buy at the price of the moment at any time.
 */
export default function BargainTask() {
  const params = pageParams();
  const taskId = params.id || undefined;
  const bargainId = params.bargain || undefined;
  // Without a bargain or a task: the running bargains (the storefront's 砍价 entry).
  const key = taskId ? `task:${taskId}` : bargainId ? `bargain:${bargainId}` : 'list';
  const store = useBargainStore();
  const member = useMemberStore((state) => state.member);
  const load = () => {
    if (taskId) return store.loadTask(taskId);
    if (bargainId) return store.loadOffer(bargainId);
    return store.loadList();
  };
  useLoad(() => store.begin());
  useDidShow(() => {
    // Every visit reads again: friends cut while the page is away (in the chat).
    void load();
    // A friend from a card may not be logged in yet: a silent login, then the task as they see it.
    if (!useMemberStore.getState().member) void useMemberStore.getState().login().then(load);
  });
  const shown = store.key === key;
  const offer = shown ? store.offer : null;
  const task = shown ? store.task : null;
  useShareAppMessage(() => {
    if (task && offer && task.me.role === 'owner') return taskShareCard(task, offer, member?._id ?? null);
    if (!offer) return { title: '好友砍价' };
    return { title: `${offer.productName}，${offer.rule}`, path: pageUrl(BARGAIN_TASK_PAGE, { bargain: offer.bargainId }) };
  });

  const browse = { label: '去逛逛', onClick: () => void openPage(PRODUCT_LIST_PAGE) };
  if (key === 'list') {
    return (
      <StatusView
        status={shown ? store.status : 'loading'}
        error={store.error}
        errorCode={store.failure?.code}
        onRetry={() => void load()}
        empty={store.offers.length === 0 && store.myTasks.length === 0}
        emptyText="现在没有进行中的砍价，去看看其他好物吧"
        emptyAction={browse}
      >
        <MyTasks tasks={store.myTasks} />
        <OfferList offers={store.offers} />
      </StatusView>
    );
  }
  return (
    <StatusView status={shown ? store.status : 'loading'} error={store.error} errorCode={store.failure?.code} onRetry={() => void load()}>
      {offer ? <BargainBody offer={offer} task={task} sharer={member?._id ?? null} onReload={() => void load()} /> : null}
    </StatusView>
  );
}

/** What a task's card says about it, in the member's words. */
const TASK_STATE_TEXT: Record<TaskView['state'], string> = {
  open: '砍价中',
  complete: '已砍到底价',
  bought: '已购买',
  expired: '已结束',
};

/** The member's own tasks, newest first: the product, the price now and where the task stands; a tap opens it. */
function MyTasks({ tasks }: { tasks: Array<{ task: TaskView; offer: BargainOfferView }> }) {
  if (tasks.length === 0) return null;
  return (
    <View className="bargain-list" data-testid="bargain-mine-list">
      <Text className="bargain-list__title">我的砍价</Text>
      {tasks.map(({ task, offer }) => (
        <View
          key={task.taskId}
          className="bargain__product bargain-list__item"
          onClick={() => void openPage(BARGAIN_TASK_PAGE, { id: task.taskId })}
          data-testid="bargain-mine-item"
        >
          <GroupCover imageUrl={offer.imageUrl} name={offer.productName} />
          <View className="bargain__product-body">
            <Text className="bargain__name">{offer.productName}</Text>
            <Text className="bargain__specs">{`${TASK_STATE_TEXT[task.state]} · 已有 ${task.cuts}/${task.friends} 位好友帮砍`}</Text>
            <View className="bargain__prices">
              <Text className="bargain__now-label">当前价</Text>
              <Price price={yuanOf(task.current)} size="large" />
              <Price className="bargain__was" price={yuanOf(task.price)} size="small" color="gray" line />
            </View>
          </View>
        </View>
      ))}
    </View>
  );
}

/** The running bargains: each its product, the floor against the price and the rule; a tap opens it. */
function OfferList({ offers }: { offers: BargainOfferView[] }) {
  if (offers.length === 0) return null;
  return (
    <View className="bargain-list" data-testid="bargain-list">
      <Text className="bargain-list__title">正在进行的砍价</Text>
      {offers.map((offer) => (
        <View
          key={offer.bargainId}
          className="bargain__product bargain-list__item"
          onClick={() => void openPage(BARGAIN_TASK_PAGE, { bargain: offer.bargainId })}
          data-testid="bargain-list-item"
        >
          <GroupCover imageUrl={offer.imageUrl} name={offer.productName} />
          <View className="bargain__product-body">
            <Text className="bargain__name">{offer.productName}</Text>
            <Text className="bargain__specs">{offer.rule}</Text>
            <View className="bargain__prices">
              <Text className="bargain__now-label">底价</Text>
              <Price price={yuanOf(offer.floor)} size="large" />
              <Price className="bargain__was" price={yuanOf(offer.price)} size="small" color="gray" line />
            </View>
          </View>
        </View>
      ))}
    </View>
  );
}

/** The headline over the friends: how far the task is, in the reader's words. */
function headline(task: TaskView): { title: string; text: string | null } {
  const mine = task.me.role === 'owner';
  switch (task.state) {
    case 'bought':
      return { title: mine ? '已按砍后价购买' : 'TA已按砍后价购买', text: null };
    case 'expired':
      return { title: '这次砍价已结束', text: mine ? '可以重新看看其他好物' : null };
    case 'complete':
      return { title: `已砍到底价 ${fenText(task.floor)}`, text: mine ? '可以按底价购买了' : '感谢你的帮忙' };
    default:
      return { title: `已砍 ${fenText(task.price - task.current)}，还差 ${task.friends - task.cuts} 位好友`, text: null };
  }
}

interface BodyProps {
  offer: BargainOfferView;
  task: TaskView | null;
  sharer: string | null;
  onReload: () => void;
}

function BargainBody({ offer, task, sharer, onReload }: BodyProps) {
  const { phase, canStart, blocked, offsetMs, leftMs, startTask, cut } = useBargainStore();
  const [buying, setBuying] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: taken again when the task or the clock offset is read again
  const left = useMemo(() => leftMs(), [task?.expiresAt, offsetMs, leftMs]);
  const busy = phase !== 'idle';
  const current = task?.current ?? offer.price;

  const main = mainAction(offer, task, { canStart, blocked });
  const onMain = async () => {
    if (main.kind === 'start') report(await startTask());
    else if (main.kind === 'cut') report(await cut());
    else if (main.kind === 'buy') setBuying(true);
    else if (main.kind === 'order' && task?.me.orderId) void openPage(ORDER_DETAIL_PAGE, { id: task.me.orderId });
    else if (main.kind === 'mine') void openPage(BARGAIN_TASK_PAGE, { bargain: offer.bargainId });
  };
  const copyLink = async () => {
    // H5 only (the mini-program sends a card instead).
    if (process.env.TARO_ENV !== 'h5' || !task) return;
    await Taro.setClipboardData({ data: h5Url(taskShareCard(task, offer, sharer).path, window.location) });
    toast('已复制');
  };
  const live = task?.me.role === 'owner' && task.state === 'open';

  return (
    <View className="bargain" data-testid="bargain">
      <View className="bargain__product">
        <GroupCover imageUrl={offer.imageUrl} name={offer.productName} />
        <View className="bargain__product-body">
          <Text className="bargain__name" data-testid="bargain-title">
            {offer.productName}
          </Text>
          {offer.specsText ? <Text className="bargain__specs">{offer.specsText}</Text> : null}
          <View className="bargain__prices">
            <Text className="bargain__now-label">{task ? '当前价' : '底价'}</Text>
            <Price price={yuanOf(task ? current : offer.floor)} size="xlarge" />
            <Price className="bargain__was" price={yuanOf(offer.price)} size="small" color="gray" line />
          </View>
        </View>
      </View>

      {task ? (
        <TaskCard task={task} left={left} onEnd={onReload} />
      ) : (
        <View className="bargain__card" data-testid="bargain-offer">
          <Text className="bargain__headline">{`最低可砍到 ${fenText(offer.floor)}`}</Text>
          <Text className="bargain__text">{`立省 ${fenText(offer.price - offer.floor)}，每次砍价 ${offer.taskHours} 小时内有效`}</Text>
        </View>
      )}

      <View className="bargain__card bargain__rules" data-testid="bargain-rules">
        <Text className="bargain__rules-title">砍价规则</Text>
        <Text className="bargain__rule" data-testid="bargain-rule">
          {offer.rule}
        </Text>
        <View className="bargain__steps">
          {offer.cuts.map((fen, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the cuts are fixed and keep their order
            <View key={i} className={`bargain__step${task && i < task.cuts ? ' bargain__step--done' : ''}`}>
              <Text className="bargain__step-no">{`第 ${i + 1} 位`}</Text>
              <Text className="bargain__step-fen">{fenText(fen)}</Text>
            </View>
          ))}
        </View>
        <Text className="bargain__note">每位好友可帮砍一次，金额固定；砍价期间可随时按当前价购买，每次限购 1 件，不可使用优惠券。</Text>
      </View>

      <View className="bargain__links">
        {live && process.env.TARO_ENV === 'weapp' ? (
          <Button fill="outline" type="primary" openType="share" data-testid="bargain-share">
            邀请好友帮砍
          </Button>
        ) : null}
        {live && process.env.TARO_ENV === 'h5' ? (
          <Button fill="outline" type="primary" onClick={() => void copyLink()} data-testid="bargain-copy">
            复制链接发给好友
          </Button>
        ) : null}
        {task && task.me.role !== 'owner' && main.kind !== 'mine' ? (
          <Button fill="none" onClick={() => void openPage(BARGAIN_TASK_PAGE, { bargain: offer.bargainId })} data-testid="bargain-mine">
            我也想要，看看这个砍价
          </Button>
        ) : null}
      </View>

      <Popup
        visible={buying}
        position="bottom"
        round
        closeable={!busy}
        closeOnOverlayClick={!busy}
        title="确认购买"
        onClose={() => setBuying(false)}
      >
        {task ? <BuySheet offer={offer} task={task} onDone={() => setBuying(false)} /> : null}
      </Popup>

      <ActionBar>
        <Button
          type="primary"
          block
          loading={busy && !buying}
          disabled={!main.enabled || busy}
          onClick={() => void onMain()}
          data-testid="bargain-main"
        >
          {busy && !buying ? PHASE_LABELS[phase as Exclude<BargainPhase, 'idle'>] : main.label}
        </Button>
      </ActionBar>
    </View>
  );
}

type MainAction = { kind: 'start' | 'cut' | 'buy' | 'order' | 'mine' | 'none'; label: string; enabled: boolean };

/** The one main button, in the state the server answered. */
function mainAction(offer: BargainOfferView, task: TaskView | null, facts: { canStart: boolean; blocked: string | null }): MainAction {
  if (!task) {
    if (offer.phase === 'upcoming') return { kind: 'none', label: '砍价还没开始', enabled: false };
    if (offer.phase === 'ended') return { kind: 'none', label: '砍价已结束', enabled: false };
    return facts.canStart
      ? { kind: 'start', label: '发起砍价', enabled: true }
      : { kind: 'none', label: facts.blocked ?? '暂不可发起', enabled: false };
  }
  const { me } = task;
  if (me.role === 'owner') {
    if (me.orderState === 'created' || me.orderState === 'reserving') return { kind: 'order', label: '去支付', enabled: true };
    if (task.state === 'bought') return { kind: 'order', label: '查看订单', enabled: Boolean(me.orderId) };
    if (task.state === 'expired') return { kind: 'none', label: '砍价已结束', enabled: false };
    return { kind: 'buy', label: `${fenText(task.current)} 立即购买`, enabled: me.canBuy };
  }
  if (me.cut !== null) return { kind: 'mine', label: `已帮砍 ${fenText(me.cut)}，我也要砍价`, enabled: true };
  if (me.canCut) return { kind: 'cut', label: `帮TA砍一刀（${fenText(task.nextCut ?? 0)}）`, enabled: true };
  if (me.role === 'visitor') return { kind: 'none', label: '登录后可帮TA砍价', enabled: false };
  if (task.state === 'open') return { kind: 'mine', label: '我也要砍价', enabled: true };
  return { kind: 'mine', label: headline(task).title, enabled: true };
}

function TaskCard({ task, left, onEnd }: { task: TaskView; left: number; onEnd: () => void }) {
  const head = headline(task);
  const empty = Math.max(0, task.friends - task.cutters.length);
  return (
    <View className="bargain__card" data-testid="bargain-task">
      <Text className="bargain__owner">{task.me.role === 'owner' ? '我的砍价' : `${task.owner.nickname} 正在砍价`}</Text>
      <Text className={`bargain__headline bargain__headline--${task.state}`} data-testid="bargain-state">
        {head.title}
      </Text>
      <View className="bargain__progress">
        <View className="bargain__progress-bar" style={{ width: `${Math.round((task.cuts / task.friends) * 100)}%` }} />
      </View>
      {task.state === 'open' && left > 0 ? (
        <Text className="bargain__countdown" data-testid="bargain-countdown">
          <PayCountdown remainingMs={left} onEnd={onEnd} before="剩余 " after=" 结束" />
        </Text>
      ) : head.text ? (
        <Text className="bargain__text">{head.text}</Text>
      ) : null}
      <View className="bargain__friends" data-testid="bargain-friends">
        {task.cutters.map((cutter, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: cuts keep their order and have no id on screen
          <View key={i} className="bargain__friend">
            <View className={`bargain__circle bargain__circle--c${i % 5}`}>
              <Text>{cutter.initial}</Text>
            </View>
            <Text className="bargain__friend-name">{cutter.nickname}</Text>
            <Text className="bargain__friend-fen">{`-${fenText(cutter.fen)}`}</Text>
          </View>
        ))}
        {Array.from({ length: empty }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: empty places are all alike
          <View key={`empty-${i}`} className="bargain__friend">
            <View className="bargain__circle bargain__circle--empty">
              <Text>?</Text>
            </View>
            <Text className="bargain__friend-name">待好友</Text>
          </View>
        ))}
      </View>
    </View>
  );
}

/** The address and the price of the moment (the server's), then 确认购买: the order and the pay sheet. */
function BuySheet({ offer, task, onDone }: { offer: BargainOfferView; task: TaskView; onDone: () => void }) {
  const { address, addressErrors, editingAddress, phase, setAddressField, confirmAddress, editAddress, buy } = useBargainStore();
  const submit = async () => {
    const outcome: BuyOutcome = await buy();
    switch (outcome.kind) {
      case 'busy':
        return;
      case 'invalid':
        toast(outcome.message);
        return;
      case 'ordered':
        onDone();
        if (outcome.message) toast(outcome.message);
        await openPage(ORDER_DETAIL_PAGE, { id: outcome.orderId, ...(outcome.payment === 'pending' ? { confirming: '1' } : {}) });
        return;
      default:
        onDone();
        toast(outcome.message);
    }
  };
  return (
    <View className="bargain-buy" data-testid="bargain-buy">
      <View className="bargain-buy__address">
        {editingAddress ? (
          <AddressForm address={address} errors={addressErrors} onChange={setAddressField} onSave={() => void confirmAddress()} />
        ) : (
          <AddressSummary address={address} onEdit={editAddress} />
        )}
      </View>
      <View className="bargain-buy__row">
        <Text className="bargain-buy__label">{offer.productName}</Text>
        <Text className="bargain-buy__value">× 1</Text>
      </View>
      <View className="bargain-buy__row">
        <Text className="bargain-buy__label">砍后价</Text>
        <Text className="bargain-buy__pay" data-testid="bargain-buy-price">
          {fenText(task.current)}
        </Text>
      </View>
      <Text className="bargain-buy__note">{`已砍 ${fenText(task.price - task.current)}，价格以提交时为准；砍价商品不可使用优惠券。`}</Text>
      <Button
        type="primary"
        block
        loading={phase !== 'idle'}
        disabled={phase !== 'idle'}
        onClick={() => void submit()}
        data-testid="bargain-buy-confirm"
      >
        {phase === 'idle' ? '确认购买并支付' : PHASE_LABELS[phase]}
      </Button>
    </View>
  );
}
