import Taro from '@tarojs/taro';
import type { ClaimOutcome } from '../../stores/useCouponCenterStore';

/** What a claim tap says when it ends; the card itself already shows the state the server answered. */
export function showClaimOutcome(outcome: ClaimOutcome): void {
  if (outcome.kind === 'busy') return;
  if (outcome.kind === 'claimed') {
    void Taro.showToast({ title: '领取成功，已放入券包', icon: 'none', duration: 2000 });
    return;
  }
  void Taro.showToast({ title: outcome.message, icon: 'none', duration: 2500 });
}
