import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, useLoad } from '@tarojs/taro';
import type { DrawView } from '../../../../core/contracts/lottery';
import { AddressForm, AddressSummary } from '../../../components/AddressForm';
import { StatusView } from '../../../components/StatusView';
import { COUPON_WALLET_PAGE, LOTTERY_PAGE, ORDER_DETAIL_PAGE } from '../../../routes';
import { openPage, pageParams } from '../../../services/navigation';
import { useMyDrawsStore } from '../../../stores/useMyDrawsStore';
import { Button } from '../../../ui';
import { Popup } from '../../../ui/popup';
import './index.css';

const toast = (title: string) => void Taro.showToast({ title, icon: 'none', duration: 2500 });

/** The member's draws and prizes, newest first; a product prize's address is given here (query `claim`: open its sheet). */
export default function MyDraws() {
  const store = useMyDrawsStore();
  useLoad(() => {
    const claim = pageParams().claim;
    if (claim) store.openClaim(claim);
  });
  useDidShow(() => {
    void store.load();
  });
  const play = { label: '去抽奖', onClick: () => void openPage(LOTTERY_PAGE) };
  return (
    <View className="my-draws">
      <View className="my-draws__tabs">
        <Text
          className={`my-draws__tab${store.onlyWon ? '' : ' my-draws__tab--on'}`}
          onClick={() => void store.load(false)}
          data-testid="my-draws-all"
        >
          全部记录
        </Text>
        <Text
          className={`my-draws__tab${store.onlyWon ? ' my-draws__tab--on' : ''}`}
          onClick={() => void store.load(true)}
          data-testid="my-draws-won"
        >
          我的奖品
        </Text>
      </View>
      <StatusView
        status={store.status}
        error={store.error}
        errorCode={store.failure?.code}
        onRetry={() => void store.load()}
        empty={store.draws.length === 0}
        emptyText={store.onlyWon ? '还没有抽中奖品，去试试手气吧' : '还没有抽奖记录'}
        emptyAction={play}
      >
        {store.draws.map((draw) => (
          <DrawCard key={draw.drawId} draw={draw} />
        ))}
      </StatusView>
      <ClaimSheet />
    </View>
  );
}

const DATE = (iso: string) => {
  const at = new Date(new Date(iso).getTime() + 8 * 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getUTCMonth() + 1}月${at.getUTCDate()}日 ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}`;
};

function DrawCard({ draw }: { draw: DrawView }) {
  const openClaim = useMyDrawsStore((state) => state.openClaim);
  return (
    <View className={`draw-card${draw.won ? ' draw-card--won' : ''}`} data-testid="draw-card">
      <View className="draw-card__head">
        <Text className="draw-card__title">{draw.state === 'done' ? (draw.prize?.title ?? '谢谢参与') : draw.stateText}</Text>
        <Text className="draw-card__time">{DATE(draw.createdAt)}</Text>
      </View>
      <Text className="draw-card__meta">
        {draw.lotteryTitle} · {draw.state === 'abandoned' ? '未扣积分' : `消耗 ${draw.price} 积分`}
      </Text>
      {draw.state === 'done' && draw.won ? (
        <View className="draw-card__foot">
          <Text className="draw-card__state" data-testid="draw-card-state">
            {draw.stateText}
          </Text>
          {draw.claim === 'unclaimed' ? (
            <Button type="primary" size="small" onClick={() => openClaim(draw.drawId)} data-testid="draw-card-claim">
              填写地址
            </Button>
          ) : null}
          {draw.orderId ? (
            <Button fill="outline" size="small" onClick={() => void openPage(ORDER_DETAIL_PAGE, { id: draw.orderId as string })}>
              查看订单
            </Button>
          ) : null}
          {draw.couponId ? (
            <Button fill="outline" size="small" onClick={() => void openPage(COUPON_WALLET_PAGE)}>
              查看卡包
            </Button>
          ) : null}
        </View>
      ) : null}
    </View>
  );
}

function ClaimSheet() {
  const { claiming, submitting, address, addressErrors, editingAddress, setAddressField, confirmAddress, editAddress, closeClaim, claim } =
    useMyDrawsStore();
  const submit = async () => {
    const outcome = await claim();
    if (outcome.kind === 'claimed') toast('地址已提交，奖品将包邮寄出');
    else if (outcome.kind === 'invalid' || outcome.kind === 'failed') toast(outcome.message);
  };
  return (
    <Popup visible={claiming !== null} position="bottom" round closeable={!submitting} title="填写收货地址" onClose={closeClaim}>
      <View className="claim-sheet" data-testid="claim-sheet">
        {editingAddress ? (
          <AddressForm address={address} errors={addressErrors} onChange={setAddressField} onSave={() => void confirmAddress()} />
        ) : (
          <AddressSummary address={address} onEdit={editAddress} />
        )}
        <Text className="claim-sheet__note">奖品包邮寄出，无需支付任何费用</Text>
        <Button type="primary" block loading={submitting} disabled={submitting} onClick={() => void submit()} data-testid="claim-submit">
          {submitting ? '提交中' : '确认领取'}
        </Button>
      </View>
    </Popup>
  );
}
