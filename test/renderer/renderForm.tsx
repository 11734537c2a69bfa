import { render } from '@testing-library/react';
import { ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { defaultAuthorizationPolicy, type ApplicationInput, type RpcError } from '../../shared';
import { SessionProvider } from '../../renderer/session/SessionContext';
import { BranchSettingsProvider, type BranchSettingsValue } from '../../renderer/features/workspace/BranchSettings';
import { DraftProvider, type ApplicationDraft } from '../../renderer/features/application/drafts/DraftStore';
import { ApplicationForm } from '../../renderer/features/application/form/ApplicationForm';

export const BUSINESS_DATE = '2026-11-25';

const settings: BranchSettingsValue = {
  branch: { code: '310101', name: '上海分行营业部', bankName: '示例银行' },
  // No 联网核查 middleware here: this branch lets a keyed result through, so the form's tests see their own
  // reasons (the keyed result's own trigger is tested in shared/rules and end to end).
  authorizationPolicy: { ...defaultAuthorizationPolicy, online_check_keyed: { enabled: false } },
  idleLockMinutes: 5,
  retentionYears: 10,
  slip: { layout: 'a5', parts: 'both' },
  printer: { mode: 'dialog', name: null },
  slipPrinters: { a5: null, roll80: null },
  exportDir: null,
  identityCheck: null,
  acquirer: {
    channel: 'off',
    https: { url: '', caFile: null, clientCertFile: null, clientKeyFile: null, timeoutSeconds: 30, pollMinutes: 10 },
    batch: { outFolder: null, outcomeFolder: null, outcomePublicKey: null },
    overdueDays: 3,
  },
  cardReader: { kind: 'none' },
};

/** The ID-checking form as the workspace mounts it, for a logged-in teller, with DOMAIN.md's policy. */
export function renderForm(options: { initialValues?: ApplicationDraft; send?: (request: ApplicationInput) => Promise<RpcError | null> } = {}) {
  const send = options.send ?? (() => Promise.resolve(null));
  return render(
    <ConfigProvider locale={zhCN}>
      <SessionProvider initial={{ actor: { tellerId: 2, employeeNo: 'T001', name: '王柜员', role: 'teller' }, locked: false, mustChangePassword: false, notices: [], idleLockMinutes: 5 }}>
        <BranchSettingsProvider initial={settings}>
          <DraftProvider>
            <ApplicationForm applicationId={1} businessDate={BUSINESS_DATE} initialValues={options.initialValues} send={send} submitLabel="提交申请" />
          </DraftProvider>
        </BranchSettingsProvider>
      </SessionProvider>
    </ConfigProvider>,
  );
}
