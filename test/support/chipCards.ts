// Chip cards made from a request's applicant, for tests that walk a request through the core: the card goes
// on the desk's simulated reader and the core reads it through the real SAM protocol client.
import type { ApplicationInput } from '../../shared';

interface ApplicantFacts {
  name: string;
  documentType: ApplicationInput['applicant']['documentType'];
  documentNumber: string;
  documentExpiry: string;
  birthDate?: string | undefined;
  sex?: 'M' | 'F' | undefined;
}
import type { Core } from '../../electron/core';
import { writeSetting, readSettings } from '../../electron/core/settings';
import type { SamReaderSimulator } from '../../electron/core/cardReader/samReaderSimulator';
import { syntheticPhoto } from '../../electron/core/cardReader/syntheticCards';
import { buildTextBlock, type ChipCardFacts } from '../../electron/core/cardReader/textBlock';

/** The chip a real card of this applicant would carry (resident ID and HMT permit layouts, 2017 foreign card). */
export function chipFactsFor(applicant: ApplicantFacts, businessDate: string): ChipCardFacts {
  const number = applicant.documentNumber;
  const gb11643 = /^\d{17}[\dX]$/.test(number);
  const birthDate = applicant.birthDate ?? (gb11643 ? `${number.slice(6, 10)}-${number.slice(10, 12)}-${number.slice(12, 14)}` : '1980-01-01');
  const sex = applicant.sex ?? (gb11643 ? (Number(number[16]) % 2 === 1 ? 'M' : 'F') : 'M');
  const validFrom = `${String(Number(businessDate.slice(0, 4)) - 1)}${businessDate.slice(4)}`;
  const documentType = applicant.documentType as ChipCardFacts['documentType'];
  return {
    documentType,
    name: applicant.name,
    sex,
    birthDate,
    documentNumber: number,
    ...(documentType === 'resident_id' ? { nation: { code: '01', name: '汉' }, address: '上海市黄浦区示例路1号' } : {}),
    ...(documentType === 'hmt_residence_permit' ? { address: '上海市黄浦区示例路1号' } : {}),
    ...(documentType === 'foreign_permanent_resident' ? { englishName: 'TEST HOLDER', nationality: number.slice(0, 3) } : {}),
    issuingAuthority: documentType === 'foreign_permanent_resident' ? '1500' : '上海市公安局黄浦分局',
    validFrom,
    validTo: applicant.documentExpiry,
  };
}

/** Puts the applicant's card on the reader, has the core read it (F4) in `session`, returns the read's id. */
export async function placeCardFor(core: Core, sim: SamReaderSimulator, session: string, request: { businessDate: string; applicant: ApplicantFacts }): Promise<string> {
  if (readSettings(core.db).cardReader.kind === 'none') {
    writeSetting(core.db, 'cardReader', { kind: 'serial', path: '/dev/ttyUSB0', baudRate: 115200 }, new Date());
  }
  const facts = chipFactsFor(request.applicant, request.businessDate);
  sim.lift();
  sim.place({ textBlock: buildTextBlock(facts), photo: syntheticPhoto(request.applicant.documentNumber) });
  const result = await core.router.invoke(session, 'reader.readAgain', {});
  await core.router.invoke(session, 'reader.watch', { on: false });
  sim.lift();
  const read = result.ok ? (result.value as { read: { readId: string } | null; error: string | null }) : null;
  if (read?.read == null) throw new Error(`the core did not read the card: ${JSON.stringify(result.ok ? read?.error : result.error)}`);
  return read.read.readId;
}
