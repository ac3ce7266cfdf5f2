// NutUI's CountDown on its own (see tabs.ts): the order pages' time left to pay only.
import CountDown from '@nutui/nutui-react-taro/dist/es/packages/countdown';
import '@nutui/nutui-react-taro/dist/es/packages/countdown/style/css';

export { CountDown };
