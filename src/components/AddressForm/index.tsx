import { Input, Text, View } from '@tarojs/components';
import type { AddressErrors, AddressField, AddressFields } from '../../../core/order/address';
import { ADDRESS_LIMITS } from '../../../core/order/address';
import { Button } from '../../ui';
import './index.css';

export interface AddressFormProps {
  address: AddressFields;
  errors: AddressErrors;
  onChange: (field: AddressField, value: string) => void;
  onSave: () => void;
}

export interface AddressSummaryProps {
  address: AddressFields;
  onEdit: () => void;
}

const FIELDS: ReadonlyArray<{ field: AddressField; label: string; placeholder: string; type: 'text' | 'number'; maxlength: number }> = [
  { field: 'name', label: '收货人', placeholder: '收货人姓名', type: 'text', maxlength: ADDRESS_LIMITS.name },
  // 13 leaves room for the spaces people type; they are removed before checking.
  { field: 'phone', label: '手机号', placeholder: '11位手机号码', type: 'number', maxlength: 13 },
  { field: 'region', label: '所在地区', placeholder: '省 市 区，如 浙江省 杭州市 西湖区', type: 'text', maxlength: ADDRESS_LIMITS.region },
  { field: 'detail', label: '详细地址', placeholder: '街道、楼栋、门牌号', type: 'text', maxlength: ADDRESS_LIMITS.detail },
];

/** The delivery address as a form: each problem in Chinese under its field. */
export function AddressForm({ address, errors, onChange, onSave }: AddressFormProps) {
  return (
    <View className="address-form" data-testid="address-form">
      <Text className="address-form__title">收货地址</Text>
      {FIELDS.map(({ field, label, placeholder, type, maxlength }) => (
        <View key={field} className={`address-form__field${errors[field] ? ' address-form__field--error' : ''}`}>
          <View className="address-form__row">
            <Text className="address-form__label">{label}</Text>
            <Input
              className="address-form__input"
              type={type}
              value={address[field]}
              placeholder={placeholder}
              placeholderClass="address-form__placeholder"
              maxlength={maxlength}
              onInput={(event) => onChange(field, event.detail.value)}
              data-testid={`address-${field}`}
            />
          </View>
          {errors[field] ? (
            <Text className="address-form__error" data-testid={`address-error-${field}`}>
              {errors[field]}
            </Text>
          ) : null}
        </View>
      ))}
      <Button fill="outline" block onClick={onSave} data-testid="address-save">
        保存地址
      </Button>
    </View>
  );
}

/** 138****8000: enough for the member to recognise their number on a screen others may see. */
export function maskPhone(phone: string): string {
  return /^\d{11}$/.test(phone) ? `${phone.slice(0, 3)}****${phone.slice(7)}` : phone;
}

/** The saved address as a card; 修改 opens the form again. */
export function AddressSummary({ address, onEdit }: AddressSummaryProps) {
  return (
    <View className="address-summary" data-testid="address-summary" onClick={onEdit}>
      <View className="address-summary__mark">
        <Text>址</Text>
      </View>
      <View className="address-summary__text">
        <View className="address-summary__who">
          <Text className="address-summary__name">{address.name}</Text>
          <Text className="address-summary__phone">{maskPhone(address.phone)}</Text>
        </View>
        <Text className="address-summary__where">
          {address.region} {address.detail}
        </Text>
      </View>
      <Text className="address-summary__edit" data-testid="address-edit">
        修改
      </Text>
    </View>
  );
}
