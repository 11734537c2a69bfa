import { useCallback, useRef } from 'react';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import { ticketLabel, type ApplicationSummary } from '../../../shared';
import { useDesk } from '../../app/SystemInfo';
import { call } from '../../api/client';
import { useCodeText } from '../../i18n/codeText';

/** 登记 (F2): a walk-in takes a ticket and waits; the teller calls them up from the board. */
export function useRegisterWalkIn(onRegistered: (summary: ApplicationSummary) => void): () => Promise<void> {
  const { t } = useTranslation();
  const { refusalText } = useCodeText();
  const desk = useDesk();
  const { message } = App.useApp();
  const busy = useRef(false);
  return useCallback(async () => {
    // A held-down F2 must not hand out a pile of tickets.
    if (busy.current) return;
    busy.current = true;
    const result = await call('applications.register', { channel: 'counter' });
    busy.current = false;
    if (!result.ok) {
      void message.error(refusalText(result.error));
      return;
    }
    void message.success(t('board.registered', { ticket: ticketLabel(desk, result.value.ticketNo), number: result.value.number }));
    onRegistered(result.value);
  }, [desk, message, onRegistered, refusalText, t]);
}
