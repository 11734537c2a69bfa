// Mainland mobile number segments that need more than the ^1[3-9]\d{9}$ shape rule. Data, not code:
// when MIIT opens or reassigns a segment, change this table only. Every other 1[3-9] segment is an
// ordinary subscriber number (including 149 and the other segments libphonenumber's metadata lags on).
// The longest matching prefix wins.

export type MobileSegmentKind =
  /** Data-only IoT numbers at 11 digits: cannot receive a call or SMS, cannot be a bound phone. */
  | 'iot_data_only'
  /** Mobile virtual network operators (虚拟运营商). */
  | 'virtual_operator'
  /** Satellite mobile service (卫星通信). */
  | 'satellite';

export interface MobileSegment {
  prefix: string;
  kind: MobileSegmentKind;
}

export const MOBILE_SEGMENTS: readonly MobileSegment[] = [
  { prefix: '140', kind: 'iot_data_only' },
  { prefix: '141', kind: 'iot_data_only' },
  { prefix: '144', kind: 'iot_data_only' },
  { prefix: '146', kind: 'iot_data_only' },
  { prefix: '148', kind: 'iot_data_only' },
  { prefix: '162', kind: 'virtual_operator' },
  { prefix: '165', kind: 'virtual_operator' },
  { prefix: '167', kind: 'virtual_operator' },
  { prefix: '170', kind: 'virtual_operator' },
  { prefix: '171', kind: 'virtual_operator' },
  { prefix: '1740', kind: 'satellite' },
  { prefix: '1741', kind: 'satellite' },
  { prefix: '1742', kind: 'satellite' },
  { prefix: '1743', kind: 'satellite' },
  { prefix: '1744', kind: 'satellite' },
  { prefix: '1745', kind: 'satellite' },
  { prefix: '1746', kind: 'satellite' },
  { prefix: '1747', kind: 'satellite' },
  { prefix: '1748', kind: 'satellite' },
  { prefix: '1749', kind: 'satellite' },
];
