import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect } from 'react';
import type { AskMoment } from '../../../core/notice/grants';
import { type AskOutcome, useSubscribeAskStore } from '../../stores/useSubscribeAskStore';
import { Button } from '../../ui';
import './index.css';

export interface SubscribePromptProps {
  /** What the member just did: it decides which reminders are offered. */
  moment: AskMoment;
  /**
   * The moment succeeded (a coupon claimed, an order paid, a seat paid, today's check-in): the
   * reminders are read then, so the tap can open WeChat's sheet at once. Until then nothing shows.
   */
  active: boolean;
  /** Fixed above the bottom of the page (a page without an action bar), instead of in the flow. */
  floating?: boolean;
  className?: string;
}

const toast = (title: string) => void Taro.showToast({ title, icon: 'none', duration: 2000 });

function tell(outcome: AskOutcome) {
  if (outcome.kind === 'answered' && outcome.accepted > 0) toast('已开启提醒');
  else if (outcome.kind === 'failed') toast('未能开启提醒，请检查微信通知设置');
}

/**
 * A small card offering WeChat reminders right after the moment they are about, with 开启提醒: the
 * tap opens WeChat's subscription sheet (it may only open from a tap). Nothing while the reminders
 * load, when there is nothing to offer, or once the member answered.
 */
export function SubscribePrompt({ moment, active, floating, className }: SubscribePromptProps) {
  const entry = useSubscribeAskStore((state) => state.asks[moment]);
  const load = useSubscribeAskStore((state) => state.load);
  const ask = useSubscribeAskStore((state) => state.ask);
  useEffect(() => {
    if (active) void load(moment);
  }, [active, moment, load]);

  const shown = active && entry && (entry.phase === 'ready' || entry.phase === 'asking') && entry.templates.length > 0;
  if (!shown) return null;
  const asking = entry.phase === 'asking';
  const card = (
    <View
      className={`subscribe-prompt${className ? ` ${className}` : ''}`}
      data-testid={floating ? 'subscribe-prompt-card' : 'subscribe-prompt'}
    >
      <View className="subscribe-prompt__mark">
        <View className="subscribe-prompt__bell" />
        <View className="subscribe-prompt__clapper" />
      </View>
      <View className="subscribe-prompt__text">
        <Text className="subscribe-prompt__what" data-testid="subscribe-prompt-what">
          {entry.templates.map((template) => template.title).join('、')}
        </Text>
        <Text className="subscribe-prompt__how">需要时通过微信通知你</Text>
      </View>
      {/* Outlined: an offer beside the page's one main action, never competing with it. */}
      <Button
        type="primary"
        fill="outline"
        className="subscribe-prompt__button"
        loading={asking}
        disabled={asking}
        onClick={() => void ask(moment).then(tell)}
        data-testid="subscribe-prompt-open"
      >
        开启提醒
      </Button>
    </View>
  );
  if (!floating) return card;
  // Docked like an action bar, with a spacer of its height so the end of the page stays reachable.
  return (
    <View data-testid="subscribe-prompt">
      <View className="subscribe-prompt__spacer" />
      <View className="subscribe-prompt__dock">{card}</View>
    </View>
  );
}
