import Taro, { useDidShow, useLaunch } from '@tarojs/taro';
import { NOT_FOUND_PAGE } from './routes';
import { goHome, replaceWith } from './services/navigation';
import type { PropsWithChildren } from 'react';
import { LocalSheetHost } from './components/LocalSheet';
import { initCloud } from './services/cloud';
import { reportNoticeLanding } from './services/entry';
import { useMemberStore } from './stores/useMemberStore';
import './app.css';

// A link to a page that does not exist (an old card, a typo) is never a blank screen: the
// mini-program goes home, H5 says what happened and offers the way home. Registered before the
// router resolves the first page, which may itself be the missing one.
Taro.onPageNotFound(() => {
  void (process.env.TARO_ENV === 'weapp' ? goHome() : replaceWith(NOT_FOUND_PAGE));
});

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    initCloud();
    // Every launch is a login, whatever page a code or card opens first: the day's active members,
    // and a new member's welcome pack, never depend on which page they land on.
    void useMemberStore.getState().login();
  });
  // Every time the app comes to the front: opened from a message, that page's query says so.
  useDidShow((options?: { query?: Record<string, string> }) => {
    reportNoticeLanding(options?.query ?? Taro.getCurrentInstance().router?.params);
  });
  return (
    <>
      {children}
      {/* H5 on the local cloud: stand-ins for WeChat's subscription and payment sheets. */}
      {process.env.TARO_ENV === 'h5' ? <LocalSheetHost /> : null}
    </>
  );
}

export default App;
