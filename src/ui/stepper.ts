// NutUI's InputNumber on its own (see tabs.ts): the quantity stepper of the product page only.
import InputNumber from '@nutui/nutui-react-taro/dist/es/packages/inputnumber';
import '@nutui/nutui-react-taro/dist/es/packages/inputnumber/style/css';

export { InputNumber };
