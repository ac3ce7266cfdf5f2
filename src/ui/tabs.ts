// NutUI's Tabs on their own, not in ./index: everything ./index imports (and its stylesheet)
// lands in the main package because the tab pages use it, while Tabs serve subpackage pages only.
import Tabs from '@nutui/nutui-react-taro/dist/es/packages/tabs';
import '@nutui/nutui-react-taro/dist/es/packages/tabs/style/css';

export { Tabs };
