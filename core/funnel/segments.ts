/**
 * Segments: where a member is in their life with the brand, and the eight classic RFM cells.
 * (The rules that place a member are added beside these names.)
 */
export const LIFECYCLE_SEGMENTS = ['new', 'active', 'dormant', 'lapsed'] as const;
export const RFM_CELLS = [
  'important_value',
  'important_develop',
  'important_keep',
  'important_retain',
  'general_value',
  'general_develop',
  'general_keep',
  'general_retain',
] as const;
export const SEGMENTS = [...LIFECYCLE_SEGMENTS, ...RFM_CELLS] as const;
export type Segment = (typeof SEGMENTS)[number];

export const SEGMENT_LABELS: Record<Segment, string> = {
  new: '新会员',
  active: '活跃会员',
  dormant: '沉睡会员',
  lapsed: '流失会员',
  important_value: '重要价值客户',
  important_develop: '重要发展客户',
  important_keep: '重要保持客户',
  important_retain: '重要挽留客户',
  general_value: '一般价值客户',
  general_develop: '一般发展客户',
  general_keep: '一般保持客户',
  general_retain: '一般挽留客户',
};
