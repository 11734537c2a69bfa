// @vitest-environment jsdom
import './setup';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../shared';
import { SessionProvider } from '../../renderer/session/SessionContext';
import HandoffScreen from '../../renderer/features/handoff/HandoffScreen';
import { installFakeCore } from './fakeCore';

function overview(keyFingerprint: string | null): MethodOutput<'handoff.overview'> {
  return {
    channel: 'batch',
    overdueDays: 3,
    counts: { waiting: 0, sent: 0, failed: 0, overdue: 0, done: 0 },
    waiting: [],
    sent: [],
    failed: [],
    overdue: [],
    outcomeFiles: { folder: '/srv/acquirer/outcomes', keyFingerprint, waiting: 2 },
  };
}

// The client keeps the first bridge it finds: one fake core for the file, answering as `configured` says.
const configured: { keyFingerprint: string | null } = { keyFingerprint: null };
const fake = installFakeCore({ 'handoff.overview': () => overview(configured.keyFingerprint), 'handoff.importOutcomes': () => ({ lines: 1, recorded: 1, duplicates: 0 }) });

function renderScreen(keyFingerprint: string | null) {
  configured.keyFingerprint = keyFingerprint;
  fake.calls.length = 0;
  render(
    <ConfigProvider locale={zhCN}>
      <App>
        <SessionProvider initial={{ actor: { tellerId: 4, employeeNo: 'S001', name: '赵主管', role: 'supervisor' }, locked: false, mustChangePassword: false, notices: [], idleLockMinutes: 5 }}>
          <HandoffScreen />
        </SessionProvider>
      </App>
    </ConfigProvider>,
  );
}

// A file as the acquirer wrote it: a BOM, CRLF line ends.
const BYTES = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('application_number,outcome,acquirer_reference,reason,decided_at\r\n310101-20261125-0001,unbound,B1,,\r\n')]);

describe('交接与回执: importing an outcome file', () => {
  it('says the watched folder imports nothing while no acquirer key is configured', async () => {
    renderScreen(null);
    await waitFor(() => expect(screen.getByTestId('outcome-folder-no-key').textContent).toContain('尚未配置收单机构公钥'));
    expect(screen.getByTestId('outcome-folder-no-key').textContent).toContain('目录中有 2 个文件等候');
  });

  it('with the key configured, asks for the .sig instead of sending a file alone; with both, sends the exact bytes (BOM kept) and the signature', async () => {
    renderScreen('ab'.repeat(32));
    await waitFor(() => expect(screen.getByTestId('outcome-key').textContent).toContain('abababababababab'));
    const input = screen.getByTestId('outcome-file');
    const csv = new File([BYTES], 'day.csv', { type: 'text/csv' });
    fireEvent.change(input, { target: { files: [csv] } });
    await waitFor(() => expect(screen.getByTestId('outcome-import-result').textContent).toContain('请同时选中 day.csv 和 day.csv.sig'));
    expect(fake.calls.map((call) => call.method)).not.toContain('handoff.importOutcomes');

    fireEvent.change(input, { target: { files: [new File(['c2lnbmF0dXJl\n'], 'day.csv.sig'), csv] } });
    await waitFor(() => expect(fake.calls.map((call) => call.method)).toContain('handoff.importOutcomes'));
    const sent = fake.calls.find((call) => call.method === 'handoff.importOutcomes')?.input as { fileName: string; text: string; signature: string };
    expect(sent.fileName).toBe('day.csv');
    expect(sent.signature).toBe('c2lnbmF0dXJl\n');
    expect(Buffer.from(sent.text, 'utf8').equals(Buffer.from(BYTES))).toBe(true);
  });
});
