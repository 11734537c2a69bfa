// Chip cards made from a request's applicant, for tests that walk a request through the core: the card goes
// on the desk's simulated reader and the core reads it through the real SAM protocol client.
import type { Core } from '../../electron/core';
import { writeSetting, readSettings } from '../../electron/core/settings';
import type { SamReaderSimulator } from '../../electron/core/cardReader/samReaderSimulator';
import { chipFactsFor, syntheticPhoto, type ApplicantFacts } from '../../electron/core/cardReader/syntheticCards';
import { buildTextBlock } from '../../electron/core/cardReader/textBlock';
import { CardReadError } from '../../electron/core/cardReader/errors';
import type { CardReader, RawCardRead } from '../../electron/core/cardReader/port';

export { chipFactsFor };

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

/** The reader error's code a read ends in ('no error' when it did not fail); anything else is rethrown. */
export async function errorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CardReadError) return e.code;
    throw e;
  }
  return 'no error';
}

/** One read that must find a card. */
export async function readOneCard(reader: CardReader): Promise<RawCardRead> {
  const raw = await reader.read();
  if (raw === null) throw new Error('no card read');
  return raw;
}
