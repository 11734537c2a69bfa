import type { CoreContext } from '../context';
import type { Handlers } from '../rpc/router';
import type { CorePorts } from '../ports';
import { requireActor } from '../auth/handlers';
import { carryOver, closeDay, dayStatus, exportDay, reopenDay } from './dayCloseService';

export function dayCloseHandlers(
  core: CoreContext,
  ports: CorePorts,
): Pick<Handlers, 'dayclose.status' | 'dayclose.carryOver' | 'dayclose.close' | 'dayclose.export' | 'dayclose.reopen'> {
  return {
    'dayclose.status': (input) => dayStatus(core, input.businessDate ?? core.businessDate()),
    'dayclose.carryOver': (input, call) => carryOver(core, requireActor(call), input),
    'dayclose.close': (input, call) => closeDay(core, requireActor(call), input.businessDate),
    'dayclose.export': (input, call) => exportDay(core, ports, requireActor(call), call.sessionKey, input.businessDate, input.fullDataGrantId),
    'dayclose.reopen': (input, call) => reopenDay(core, requireActor(call), call.sessionKey, input.businessDate, input.grantId),
  };
}
