import { Text, View } from '@tarojs/components';
import { useEntryStore } from '../../stores/useEntryStore';
import './index.css';

export interface NoticeBannerProps {
  /** Shown instead of the entry store's notice (tests, other notices). */
  text?: string | null;
}

/**
 * The gentle message of an unknown or expired code, on the page the reader landed on, until they
 * close it: a toast would vanish with the page switch before anyone read it.
 */
export function NoticeBanner({ text }: NoticeBannerProps) {
  const notice = useEntryStore((state) => state.result?.notice ?? null);
  const dismiss = useEntryStore((state) => state.dismissNotice);
  const shown = text ?? notice;
  if (!shown) return null;
  return (
    <View className="notice-banner" data-testid="notice-banner">
      <Text className="notice-banner__text">{shown}</Text>
      <Text className="notice-banner__close" data-testid="notice-close" onClick={dismiss}>
        知道了
      </Text>
    </View>
  );
}
