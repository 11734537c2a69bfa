import type { ReaderStatusView } from '../../../shared';
import type { Handlers } from '../rpc/router';
import type { ReaderStatus, CardReaderService } from './readerService';

/** The status as the renderer receives it: the decoded photo (if any) as a data URL, never stored. */
export function statusView(status: ReaderStatus): ReaderStatusView {
  const { read, ...rest } = status;
  return {
    ...rest,
    read:
      read === null
        ? null
        : {
            readId: read.readId,
            facts: read.facts,
            evidence: read.evidence,
            photoDataUrl: read.photoBmp === undefined ? null : `data:image/bmp;base64,${read.photoBmp.toString('base64')}`,
          },
  };
}

export function cardReaderHandlers(service: CardReaderService): Pick<Handlers, 'reader.watch' | 'reader.status' | 'reader.readAgain'> {
  return {
    'reader.watch': (input, call) => statusView(service.watch(call.sessionKey, input.on, input.applicationId)),
    'reader.status': (_input, call) => statusView(service.status(call.sessionKey)),
    'reader.readAgain': async (_input, call) => statusView(await service.readAgain(call.sessionKey)),
  };
}
