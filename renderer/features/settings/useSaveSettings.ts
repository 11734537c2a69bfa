import { useCallback } from 'react';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MethodInput, RpcError } from '../../../shared';
import { call } from '../../api/client';
import { useCodeText } from '../../i18n/codeText';
import { useBranchSettings } from '../workspace/BranchSettings';

/** Saves one part of the settings; every screen behind the login sees the new values at once. */
export function useSaveSettings(): (change: MethodInput<'settings.update'>) => Promise<RpcError | null> {
  const { t } = useTranslation();
  const { refusalText } = useCodeText();
  const { message } = App.useApp();
  const { replace } = useBranchSettings();
  return useCallback(
    async (change) => {
      const result = await call('settings.update', change);
      if (!result.ok) {
        if (!result.error.fields) void message.error(refusalText(result.error));
        return result.error;
      }
      replace(result.value);
      void message.success(t('settings.saved'));
      return null;
    },
    [message, refusalText, replace, t],
  );
}
