import { View } from '@tarojs/components';
import type { ReactNode } from 'react';
import './index.css';

export interface ActionBarProps {
  children: ReactNode;
}

/**
 * A page's one main action, fixed at the bottom above the safe area. It renders a spacer of its
 * own height too, so the end of the page is never hidden behind it.
 */
export function ActionBar({ children }: ActionBarProps) {
  return (
    <>
      <View className="action-bar__spacer" />
      <View className="action-bar" data-testid="action-bar">
        {children}
      </View>
    </>
  );
}
