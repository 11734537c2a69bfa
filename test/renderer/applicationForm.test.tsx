// @vitest-environment jsdom
import './setup';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeResidentIdNumber } from '../../shared';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { syntheticRandom } from '../../shared';
import { installFakeCore } from './fakeCore';
import { BUSINESS_DATE, renderForm } from './renderForm';

function documentNumberInput(): HTMLInputElement {
  return screen.getByLabelText('证件号码') as HTMLInputElement;
}

describe('the ID-checking form', () => {
  beforeEach(() => {
    installFakeCore();
  });

  it('says at once, in Chinese, that a mistyped resident ID number fails its check character', async () => {
    renderForm();
    const valid = makeResidentIdNumber({ regionCode: '110105', birthDate: '1980-05-12', sequence: 123 });
    const wrongCheck = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
    await userEvent.type(documentNumberInput(), wrongCheck);
    expect(await screen.findByText('证件号码校验位不符，请逐位核对号码')).toBeTruthy();
    expect(documentNumberInput().getAttribute('aria-invalid')).toBe('true');
  });

  it('reads the birth date, age, sex and region from a valid resident ID number as it is typed', async () => {
    renderForm();
    const number = makeResidentIdNumber({ regionCode: '110105', birthDate: '1980-05-12', sequence: 123 });
    await userEvent.type(documentNumberInput(), number.slice(0, 10));
    expect(screen.getByTestId('document-facts').textContent).toContain('已输入 10/18 位');
    await userEvent.type(documentNumberInput(), number.slice(10));
    const facts = screen.getByTestId('document-facts');
    expect(facts.querySelector('[data-fact=birthDate]')?.textContent).toBe('1980-05-12');
    expect(facts.querySelector('[data-fact=age]')?.textContent).toBe('46 周岁');
    expect(facts.querySelector('[data-fact=sex]')?.textContent).toBe('男');
    expect(facts.querySelector('[data-fact=region]')?.textContent).toContain('北京市朝阳区');
    expect(documentNumberInput().getAttribute('aria-invalid')).toBeNull();
  });

  it('refuses a 15-digit first-generation number once the teller leaves the field, saying why', async () => {
    renderForm();
    await userEvent.type(documentNumberInput(), '110105800512123');
    expect(screen.getByTestId('document-facts').textContent).toContain('15/18');
    await userEvent.tab();
    expect(await screen.findByText(/15位第一代居民身份证号码已于2013年1月1日停止使用/)).toBeTruthy();
  });

  it('lists manual keying and a virtual-operator number in the authorization banner as they are entered', async () => {
    const request = makeDemoRequest(syntheticRandom(11), BUSINESS_DATE, 'plain');
    renderForm({ initialValues: request });
    const banner = () => screen.getByTestId('authorization-banner');
    await waitFor(() => expect(banner().textContent).toContain('无需主管授权'));

    // Step 3: the document was keyed by hand, not read from the chip.
    await userEvent.click(screen.getByText('原因与核验'));
    const method = document.getElementById('f-verification-method');
    if (!method) throw new Error('no verification method field');
    await userEvent.click(within(method).getByText('手工录入（双次输入）'));
    await waitFor(() => expect(banner().querySelector('[data-reason=manual_entry]')).not.toBeNull());
    expect(banner().textContent).toContain('手工录入证件信息（未读取芯片）');

    // Step 2: the bound phone is a virtual-operator number (170).
    await userEvent.click(screen.getByText('终端与手机号'));
    const bound = screen.getByLabelText('待解绑手机号');
    await userEvent.clear(bound);
    await userEvent.type(bound, '17012345678');
    await waitFor(() => expect(banner().querySelector('[data-reason=virtual_or_satellite_number]')).not.toBeNull());
    expect(banner().textContent).toContain('虚拟运营商或卫星通信手机号码');
    expect(banner().textContent).toContain('2 项原因');
    expect(screen.getByText('该号码属于虚拟运营商号段，请核实')).toBeTruthy();
  });

  it('lists both reasons at once for a complete request keyed by hand with a virtual-operator phone', async () => {
    renderForm({ initialValues: makeDemoRequest(syntheticRandom(5), BUSINESS_DATE, 'exception') });
    await waitFor(() => {
      const banner = screen.getByTestId('authorization-banner');
      expect([...banner.querySelectorAll('[data-reason]')].map((item) => item.getAttribute('data-reason'))).toEqual(['manual_entry', 'virtual_or_satellite_number']);
    });
  });

  it('puts the core’s field errors back beside the field, in Chinese, and keeps what was typed', async () => {
    const request = makeDemoRequest(syntheticRandom(3), BUSINESS_DATE, 'plain');
    let sent = 0;
    renderForm({
      initialValues: request,
      send: () => {
        sent += 1;
        return Promise.resolve({ code: 'VALIDATION', message: 'error.validation', fields: { 'request.mobile.bound': 'mobile.iot_segment' } });
      },
    });
    for (const step of ['终端与手机号', '原因与核验', '通知与确认']) {
      await userEvent.click(screen.getByText(step));
    }
    await userEvent.click(screen.getByTestId('form-submit'));
    await waitFor(() => expect(sent).toBe(1));
    expect(await screen.findByText('该号码属于物联网（仅数据）号段，不能作为绑定手机号码')).toBeTruthy();
    // The form went back to the step of the field in error; nothing typed was lost.
    expect((screen.getByLabelText('待解绑手机号') as HTMLInputElement).value).toBe(request.mobile.bound);
    expect((documentNumberInput()).value).toBe(request.applicant.documentNumber);
  });
});
