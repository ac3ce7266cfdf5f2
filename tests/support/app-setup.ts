import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { resetTaroDouble } from './taro-double';

afterEach(() => {
  cleanup();
  resetTaroDouble();
});
