import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Alert, Button, Form, Steps } from 'antd';
import { FormProvider, get, useForm, type FieldErrors, type FieldPath } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslation } from 'react-i18next';
import { applicationInputSchema, type ApplicationFormValues, type ApplicationInput, type RpcError } from '../../../../shared';
import { useCodeText } from '../../../i18n/codeText';
import { applyServerFieldErrors } from '../../../forms/serverFieldErrors';
import { useBranchSettings } from '../../workspace/BranchSettings';
import { useDrafts, type ApplicationDraft } from '../drafts/DraftStore';
import { ApplicantStep } from './ApplicantStep';
import { AuthorizationBanner } from './AuthorizationBanner';
import { blankRequest } from './blankRequest';
import { ConfirmationStep } from './ConfirmationStep';
import { FORM_STEPS, isFormField, stepOf } from './formSteps';
import { OnlineCheckPanel } from './OnlineCheckPanel';
import { TerminalStep } from './TerminalStep';
import { VerificationStep } from './VerificationStep';

type Errors = FieldErrors<ApplicationFormValues>;
const LAST_STEP = FORM_STEPS.length - 1;

function firstErrorIn(errors: Errors, step: number): string | undefined {
  return FORM_STEPS[step]?.fields.find((field) => get(errors, field) !== undefined);
}

function firstStepWithError(errors: Errors): number {
  const index = FORM_STEPS.findIndex((_step, i) => firstErrorIn(errors, i) !== undefined);
  return index === -1 ? 0 : index;
}

/** Where the keyboard lands on a step: the first thing to type or choose. */
const FIRST_FIELD: Record<number, string> = {
  0: 'applicant.documentNumber',
  1: 'pos.merchantNumber',
  2: 'reason.code',
  3: 'notification.channel',
};

export interface ApplicationFormProps {
  applicationId: number;
  /** The request's own business date (the core refuses a request for another day). */
  businessDate: string;
  /** Values to start from when this desk has no draft (editing after submission). */
  initialValues?: ApplicationDraft;
  /** Sends the parsed request; answers the core's refusal, if any. */
  send: (request: ApplicationInput) => Promise<RpcError | null>;
  submitLabel: string;
  /** Buttons for the request as a whole (refuse, cancel), shown in the form's footer. */
  extraActions?: ReactNode;
}

/**
 * 受理表单: the request keyed from the customer's document, checked as it is typed by the same zod schema
 * the core applies, in four steps. Enter checks the current step and moves on; on the last step it
 * submits. Everything typed is kept in the desk's draft store, so a refusal, a lock or a look at another
 * request loses nothing.
 */
export function ApplicationForm(props: ApplicationFormProps) {
  const { t } = useTranslation();
  const { codeText, refusalText } = useCodeText();
  const drafts = useDrafts();
  const { policy } = useBranchSettings();
  const { applicationId, businessDate } = props;
  const [step, setStep] = useState(0);
  const [refusal, setRefusal] = useState<string | null>(null);
  const focusTarget = useRef<string | null>(FIRST_FIELD[0] ?? null);
  // Bumped to ask for focus again even when the step stays the same.
  const [focusRequest, setFocusRequest] = useState(0);

  const form = useForm<ApplicationFormValues, unknown, ApplicationInput>({
    resolver: zodResolver(applicationInputSchema),
    mode: 'onTouched',
    shouldFocusError: false,
    defaultValues: { ...(drafts.get(applicationId) ?? props.initialValues ?? blankRequest(businessDate)), businessDate },
  });
  const { formState } = form;

  useEffect(() => {
    drafts.put(applicationId, structuredClone(form.getValues()));
    const subscription = form.watch((values) => drafts.put(applicationId, structuredClone(values) as ApplicationDraft, true));
    return () => subscription.unsubscribe();
  }, [form, drafts, applicationId]);

  // After the step shows, put the keyboard where the teller continues (or on the field in error).
  useEffect(() => {
    const target = focusTarget.current;
    if (!target) return;
    const frame = requestAnimationFrame(() => {
      focusTarget.current = null;
      form.setFocus(target as FieldPath<ApplicationFormValues>);
    });
    return () => cancelAnimationFrame(frame);
  }, [step, focusRequest, form]);

  /** `focus`: a field to put the keyboard on, or null to leave it where it is (a click on a step's title). */
  const goTo = useCallback((next: number, focus?: string | null) => {
    focusTarget.current = focus === undefined ? (FIRST_FIELD[next] ?? null) : focus;
    setStep(next);
    setFocusRequest((n) => n + 1);
  }, []);

  const showErrors = useCallback(
    (errors: Errors) => {
      const target = firstStepWithError(errors);
      goTo(target, firstErrorIn(errors, target));
    },
    [goTo],
  );

  const submit = form.handleSubmit(
    async (request) => {
      setRefusal(null);
      const error = await props.send(request);
      if (!error) {
        drafts.sent(applicationId);
        return;
      }
      if (error.code === 'VALIDATION' && error.fields) {
        const { placed, unplaced } = applyServerFieldErrors(error, form.setError, { prefix: 'request', isField: isFormField });
        const first = placed[0];
        if (first !== undefined) goTo(Math.max(0, stepOf(first)), first);
        setRefusal(unplaced.length > 0 ? unplaced.map((code) => codeText(code)).join(' ') : refusalText({ ...error, fields: {} }));
      } else {
        setRefusal(refusalText(error));
      }
    },
    (errors) => showErrors(errors),
  );

  const advance = async () => {
    const fields = FORM_STEPS[step]?.fields ?? [];
    const valid = await form.trigger(fields as unknown as FieldPath<ApplicationFormValues>[]);
    if (!valid) {
      const first = firstErrorIn(form.formState.errors, step);
      if (first) goTo(step, first);
      return;
    }
    if (step < LAST_STEP) goTo(step + 1);
    else await submit();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    // An IME turns Enter into "commit these characters" while composing a Chinese name.
    if (event.key !== 'Enter' || event.nativeEvent.isComposing || event.keyCode === 229) return;
    const target = event.target as HTMLElement;
    if (target.tagName === 'TEXTAREA' || target.tagName === 'BUTTON' || target.getAttribute('role') === 'combobox') return;
    if (target.closest('.ant-select-dropdown')) return;
    event.preventDefault();
    void advance();
  };

  const stepErrors = FORM_STEPS.map((_step, index) => firstErrorIn(formState.errors, index) !== undefined);

  return (
    <FormProvider {...form}>
      <div className="application-form">
        <AuthorizationBanner control={form.control} applicationId={applicationId} businessDate={businessDate} policy={policy} />
        <Steps
          className="form-steps"
          current={step}
          onChange={(next) => goTo(next, null)}
          items={FORM_STEPS.map((item, index) => ({
            title: t(`form.step.${item.key}`),
            // No tick for a step merely passed: only the core's answer says the request is complete.
            status: stepErrors[index] ? 'error' : index === step ? 'process' : 'wait',
          }))}
        />
        <OnlineCheckPanel applicationId={applicationId} businessDate={businessDate} />
        {refusal && <Alert type="error" showIcon className="form-alert" title={<span role="alert" data-testid="form-refusal">{refusal}</span>} />}
        <Form layout="vertical" component="div" requiredMark>
          <form
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              void advance();
            }}
            onKeyDown={onKeyDown}
            aria-label={t('form.title')}
            data-testid="application-form"
          >
            <div hidden={step !== 0}>
              <ApplicantStep businessDate={businessDate} applicationId={applicationId} active={step === 0} />
            </div>
            <div hidden={step !== 1}>
              <TerminalStep />
            </div>
            <div hidden={step !== 2}>
              <VerificationStep />
            </div>
            <div hidden={step !== 3}>
              <ConfirmationStep />
            </div>
            <div className="form-footer">
              <div className="button-row">
                {step > 0 && <Button onClick={() => goTo(step - 1)}>{t('form.previous')}</Button>}
                <Button type="primary" htmlType="submit" loading={formState.isSubmitting} data-testid={step < LAST_STEP ? 'form-next' : 'form-submit'}>
                  {step < LAST_STEP ? t('form.next') : props.submitLabel} <kbd>Enter</kbd>
                </Button>
              </div>
              <div className="button-row">{props.extraActions}</div>
            </div>
          </form>
        </Form>
      </div>
    </FormProvider>
  );
}
