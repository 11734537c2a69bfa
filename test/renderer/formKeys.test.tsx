// @vitest-environment jsdom
import './setup';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { syntheticRandom } from '../../shared';
import { installFakeCore } from './fakeCore';
import { BUSINESS_DATE, renderForm } from './renderForm';

function byId(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (!element) throw new Error(`no #${id}`);
  return element;
}

/** The step on screen: the one whose body is not hidden. */
function stepShowing(): string | undefined {
  const stepOf: Record<string, string> = { 'f-applicant-documentNumber': '证件与申请人', 'f-pos-merchantNumber': '终端与手机号', 'f-reason-code': '原因与核验', 'f-notification-channel': '通知与确认' };
  return Object.entries(stepOf).find(([id]) => !byId(id).closest('[hidden]'))?.[1];
}

describe('the form from the keyboard', () => {
  beforeEach(() => {
    installFakeCore();
  });

  it('takes an expiry date typed as the hint shows it (20320917) and moves on with Enter, as it would on leaving the field', async () => {
    const request = makeDemoRequest(syntheticRandom(3), BUSINESS_DATE, 'plain');
    renderForm({ initialValues: { ...request, applicant: { ...request.applicant, documentExpiry: '' } } });
    // The form puts the keyboard on the document number first; then the teller goes to the expiry.
    await waitFor(() => expect(document.activeElement?.id).toBe('f-applicant-documentNumber'));
    const expiry = byId('f-applicant-documentExpiry') as HTMLInputElement;
    await userEvent.click(expiry);
    await userEvent.keyboard('20320917{Enter}');
    expect(expiry.value).toBe('2032-09-17');
    await waitFor(() => expect(stepShowing()).toBe('终端与手机号'));
    expect(screen.queryByText('证件有效期无效，请输入日期或选择“长期”')).toBeNull();
  });

  it('takes a birth date typed as 19800512 with Enter too: every date field reads what its hint teaches', async () => {
    const request = makeDemoRequest(syntheticRandom(4), BUSINESS_DATE, 'plain');
    renderForm({ initialValues: { ...request, applicant: { ...request.applicant, documentType: 'hk_mo_travel_permit', documentNumber: 'H12345678' } } });
    await waitFor(() => expect(document.activeElement?.id).toBe('f-applicant-documentNumber'));
    const birthDate = screen.getByLabelText('出生日期') as HTMLInputElement;
    await userEvent.click(birthDate);
    await userEvent.keyboard('19800512{Enter}');
    expect(birthDate.value).toBe('1980-05-12');
    await waitFor(() => expect(stepShowing()).toBe('终端与手机号'));
    expect(screen.queryByText('出生日期无效')).toBeNull();
  });
});
