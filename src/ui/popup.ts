// NutUI's Popup on its own (see tabs.ts): only subpackage pages open sheets, so it stays out of
// the main package.
import Popup from '@nutui/nutui-react-taro/dist/es/packages/popup';
import '@nutui/nutui-react-taro/dist/es/packages/popup/style/css';

export { Popup };
