import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, useShareAppMessage } from '@tarojs/taro';
import type { DrawView, LotteryView, PrizeView } from '../../../../core/contracts/lottery';
import { ActionBar } from '../../../components/ActionBar';
import { StatusView } from '../../../components/StatusView';
import { COUPON_WALLET_PAGE, MY_DRAWS_PAGE, POINTS_CENTER_PAGE } from '../../../routes';
import { openPage, pageParams } from '../../../services/navigation';
import { drawBlock, lotteryShareCard, useLotteryStore } from '../../../stores/useLotteryStore';
import { useMemberStore } from '../../../stores/useMemberStore';
import { Button } from '../../../ui';
import { Popup } from '../../../ui/popup';
import './index.css';

const toast = (title: string) => void Taro.showToast({ title, icon: 'none', duration: 2500 });

const KIND_MARKS: Record<PrizeView['kind'], string> = { coupon: '券', points: '分', product: '礼', thanks: '谢' };

/**
 * The points lottery (query `id` optional: the newest open one). The same page from the
 * mini-program, the 公众号 menu and the 抽奖 card: points earned anywhere are spent here.
 */
export default function LotteryPage() {
  const id = pageParams().id || undefined;
  const store = useLotteryStore();
  const member = useMemberStore((state) => state.member);
  // Every visit reads it again: the balance, draws left and stock move while the page is away.
  useDidShow(() => {
    void store.load(id);
    // The share card names the sharer: a silent login, once, if the member center has not done it.
    if (!useMemberStore.getState().member) void useMemberStore.getState().login();
  });
  useShareAppMessage(() => {
    const lottery = useLotteryStore.getState().lottery;
    if (!lottery) return { title: '积分抽奖' };
    return lotteryShareCard(lottery, member?._id ?? null);
  });
  const ready = store.lotteryId === (id ?? null);
  const status = ready ? store.status : 'loading';
  const earn = { label: '去赚积分', onClick: () => void openPage(POINTS_CENTER_PAGE) };
  return (
    <StatusView
      status={status}
      error={store.error}
      errorCode={store.failure?.code}
      onRetry={() => void store.load(id)}
      empty={status === 'ready' && !store.lottery}
      emptyText="现在没有进行中的抽奖，先去签到攒积分吧"
      emptyAction={earn}
    >
      {store.lottery ? <LotteryBody lottery={store.lottery} /> : null}
    </StatusView>
  );
}

function LotteryBody({ lottery }: { lottery: LotteryView }) {
  const { balance, drawsLeftToday, drawing, result, draw, dismissResult } = useLotteryStore();
  const block = drawBlock({ lottery, balance, drawsLeftToday });
  const submit = async () => {
    const outcome = await draw();
    if (outcome.kind === 'blocked' || outcome.kind === 'refused' || outcome.kind === 'failed') toast(outcome.message);
  };
  return (
    <View className="lottery" data-testid="lottery">
      <View className="lottery__hero">
        <Text className="lottery__title" data-testid="lottery-title">
          {lottery.title}
        </Text>
        {lottery.description ? <Text className="lottery__description">{lottery.description}</Text> : null}
        <View className="lottery__facts">
          <Fact label="我的积分" value={String(balance)} testId="lottery-balance" />
          <Fact label="每次消耗" value={`${lottery.price} 积分`} testId="lottery-price" />
          <Fact label="今日还可抽" value={`${drawsLeftToday} 次`} testId="lottery-left" />
        </View>
      </View>

      <View className="lottery__card">
        <View className="lottery__card-head">
          <Text className="lottery__card-title">奖品与中奖概率</Text>
          <Text className="lottery__card-note">概率为公示值</Text>
        </View>
        {lottery.prizes.map((prize) => (
          <PrizeRow key={prize.prizeId} prize={prize} />
        ))}
      </View>

      <View className="lottery__card">
        <Text className="lottery__card-title">活动规则</Text>
        {lottery.rules.map((rule) => (
          <Text key={rule} className="lottery__rule">
            {rule}
          </Text>
        ))}
        <View className="lottery__links">
          <Text className="lottery__link" onClick={() => void openPage(MY_DRAWS_PAGE)} data-testid="lottery-mine">
            我的抽奖记录 ›
          </Text>
          <Text className="lottery__link" onClick={() => void openPage(POINTS_CENTER_PAGE)}>
            去赚积分 ›
          </Text>
        </View>
      </View>

      <Popup visible={result !== null} position="center" round closeable onClose={dismissResult}>
        {result ? <DrawResult draw={result} balance={balance} onClose={dismissResult} /> : null}
      </Popup>

      <ActionBar>
        <Button
          type="primary"
          block
          loading={drawing}
          disabled={drawing || block !== null}
          onClick={() => void submit()}
          data-testid="lottery-draw"
        >
          {drawing ? '抽奖中' : (block ?? `立即抽奖（${lottery.price} 积分）`)}
        </Button>
      </ActionBar>
    </View>
  );
}

function Fact({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <View className="lottery__fact">
      <Text className="lottery__fact-value" data-testid={testId}>
        {value}
      </Text>
      <Text className="lottery__fact-label">{label}</Text>
    </View>
  );
}

function PrizeRow({ prize }: { prize: PrizeView }) {
  return (
    <View className={`lottery-prize${prize.soldOut ? ' lottery-prize--out' : ''}`} data-testid="lottery-prize">
      <View className={`lottery-prize__mark lottery-prize__mark--${prize.kind}`}>{KIND_MARKS[prize.kind]}</View>
      <View className="lottery-prize__body">
        <Text className="lottery-prize__title">{prize.title}</Text>
        <Text className="lottery-prize__subtitle">
          {prize.soldOut ? `已抽完，抽中改为「${prize.fallbackTitle ?? '谢谢参与'}」` : prize.subtitle}
        </Text>
      </View>
      <Text className="lottery-prize__odds" data-testid="lottery-prize-odds">
        {prize.oddsText}
      </Text>
    </View>
  );
}

/** The result sheet: what the draw gave and the way on. */
function DrawResult({ draw, balance, onClose }: { draw: DrawView; balance: number; onClose: () => void }) {
  const pending = draw.state !== 'done';
  const title = pending ? '正在开奖' : draw.won ? `恭喜获得 ${draw.prize?.title ?? ''}` : '谢谢参与';
  return (
    <View className="lottery-result" data-testid="lottery-result">
      <Text className="lottery-result__title" data-testid="lottery-result-title">
        {title}
      </Text>
      <Text className="lottery-result__text">{pending ? '结果稍后可在我的抽奖记录中查看' : draw.stateText}</Text>
      <Text className="lottery-result__spent">
        消耗 {draw.price} 积分，剩余 {balance} 积分
      </Text>
      <View className="lottery-result__actions">
        {draw.prize?.kind === 'coupon' ? (
          <Button type="primary" block onClick={() => void openPage(COUPON_WALLET_PAGE)}>
            查看卡包
          </Button>
        ) : null}
        {draw.claim === 'unclaimed' ? (
          <Button
            type="primary"
            block
            onClick={() => void openPage(MY_DRAWS_PAGE, { claim: draw.drawId })}
            data-testid="lottery-result-claim"
          >
            填写收货地址
          </Button>
        ) : null}
        <Button fill="none" block onClick={onClose}>
          知道了
        </Button>
      </View>
    </View>
  );
}
