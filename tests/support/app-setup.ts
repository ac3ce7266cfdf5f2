import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { resetTaroDouble } from './taro-double';

// jsdom has no IntersectionObserver; Taro's H5 Image needs one for `lazyLoad`. Nothing scrolls in
// these tests, so an observer that never fires is the honest stand-in.
if (typeof globalThis.IntersectionObserver === 'undefined') {
  globalThis.IntersectionObserver = class {
    readonly root = null;
    readonly rootMargin = '0px';
    readonly thresholds: readonly number[] = [];
    observe() {}
    unobserve() {}
    disconnect() {}
    takeRecords() {
      return [];
    }
  } as unknown as typeof IntersectionObserver;
}

afterEach(() => {
  cleanup();
  resetTaroDouble();
});
