import { syntheticRandom, type ApplicationFormValues } from '../../shared';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { demoSignaturePng } from '../../electron/core/demo/demoSignature';
import type { Harness } from './coreHarness';

/** A request taken through the real core to `completed` (slip issued), with the notification wish given. */
export async function completedRequest(
  h: Harness,
  seed: number,
  notification: ApplicationFormValues['notification'],
  change: (request: ApplicationFormValues) => void = () => {},
): Promise<{ id: number; number: string; request: ApplicationFormValues }> {
  const businessDate = h.core.context.businessDate();
  const request = { ...makeDemoRequest(syntheticRandom(seed), businessDate), notification };
  change(request);
  const app = await h.ok('t1', 'applications.register', {});
  const review = await h.ok('t1', 'applications.startReview', { id: app.id, version: app.version });
  const approved = await h.ok('t1', 'applications.submit', { id: review.id, version: review.version, request });
  const signed = await h.ok('t1', 'applications.setSignature', { id: approved.id, version: approved.version, pngBase64: demoSignaturePng(syntheticRandom(seed)).toString('base64') });
  const issued = await h.ok('t1', 'receipts.issue', { id: signed.id, version: signed.version });
  if (issued.status !== 'completed') throw new Error(`request ${signed.number} is ${issued.status}`);
  return { id: signed.id, number: signed.number, request };
}
