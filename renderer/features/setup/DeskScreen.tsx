import { useState } from 'react';
import { Alert, Button, Card, Form, Typography } from 'antd';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { useTranslation } from 'react-i18next';
import { deskNumber } from '../../../shared';
import { call } from '../../api/client';
import { useCodeText } from '../../i18n/codeText';
import { TextField } from '../../forms/TextField';
import { applyServerFieldErrors } from '../../forms/serverFieldErrors';
import { padDesk } from './SetupScreen';

const deskForm = z.object({ desk: deskNumber });
type DeskValues = z.input<typeof deskForm>;

/**
 * 设置柜台号: an installation set up before desks were numbered has none. Its admin is asked once, before
 * anything else; until then no new request is numbered (two counters of the branch would issue the same
 * numbers). Requests already numbered keep their numbers.
 */
export default function DeskScreen(props: { branchCode: string; onDone: () => void }) {
  const { t } = useTranslation();
  const { refusalText } = useCodeText();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<DeskValues>({ resolver: zodResolver(deskForm), mode: 'onTouched', defaultValues: { desk: '' } });
  const submit = form.handleSubmit(async (values) => {
    setError(null);
    const result = await call('system.setDesk', { desk: values.desk.trim() });
    if (result.ok) return props.onDone();
    const { unplaced } = applyServerFieldErrors(result.error, form.setError, { isField: (path) => path === 'desk' });
    if (unplaced.length > 0 || !result.error.fields) setError(refusalText(result.error));
  });
  return (
    <div className="entry-screen">
      <Card className="entry-card" title={<Typography.Title level={3} className="entry-title">{t('desk.title')}</Typography.Title>}>
        <Typography.Paragraph>{t('desk.intro', { branch: props.branchCode })}</Typography.Paragraph>
        <Form layout="vertical" component="div">
          <form onSubmit={(event) => void submit(event)} aria-label={t('desk.title')} noValidate>
            <TextField control={form.control} name="desk" label={t('setup.desk')} hint={t('setup.deskHint')} maxLength={2} inputMode="numeric" normalize={padDesk} required autoFocus />
            {error && <Alert type="error" showIcon title={<span role="alert">{error}</span>} className="form-alert" />}
            <Button type="primary" htmlType="submit" size="large" loading={form.formState.isSubmitting}>
              {t('desk.submit')}
            </Button>
          </form>
        </Form>
      </Card>
    </div>
  );
}
