import { useLaunch } from '@tarojs/taro';
import type { PropsWithChildren } from 'react';
import { LocalSheetHost } from './components/LocalSheet';
import { initCloud } from './services/cloud';
import './app.css';

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    initCloud();
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
