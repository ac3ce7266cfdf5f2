import { Text, View } from '@tarojs/components';
import { useEffect } from 'react';
import { usePersonaStore } from '../../stores/usePersonaStore';
import './index.css';

export interface PersonaSwitcherProps {
  /** Called after the persona changed, e.g. to log in again. */
  onChange?: (name: string) => void;
}

/** Dev-only (H5 on the local cloud): act as one of the local cloud's test users. */
export function PersonaSwitcher({ onChange }: PersonaSwitcherProps) {
  const { personas, current, status, error, load, choose } = usePersonaStore();
  useEffect(() => {
    if (status === 'idle') void load();
  }, [status, load]);
  if (status === 'error') {
    // Dev-only panel: say why it is empty and offer the retry, rather than vanish.
    return (
      <View className="persona-switcher" data-testid="persona-switcher">
        <Text className="persona-switcher__title">{error}</Text>
        <View className="persona-switcher__item" data-testid="persona-retry" onClick={() => void load()}>
          重试
        </View>
      </View>
    );
  }
  if (status !== 'ready' || personas.length === 0) return null;
  return (
    <View className="persona-switcher" data-testid="persona-switcher">
      <Text className="persona-switcher__title">本地测试身份</Text>
      <View className="persona-switcher__list">
        {personas.map((persona) => (
          <View
            key={persona.name}
            data-testid={`persona-${persona.name}`}
            className={`persona-switcher__item${persona.name === current ? ' persona-switcher__item--active' : ''}`}
            onClick={() => {
              if (persona.name === current) return;
              choose(persona.name);
              onChange?.(persona.name);
            }}
          >
            {persona.nickname ?? persona.name}
          </View>
        ))}
      </View>
    </View>
  );
}
