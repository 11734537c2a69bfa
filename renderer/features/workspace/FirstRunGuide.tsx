import { useEffect, useState } from 'react';
import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { useActor } from '../../session/SessionContext';
import { useNavigation } from './navigation';

/**
 * The first-run path for the admin: while the branch has no enabled teller or supervisor account, the
 * admin's board says so and offers the way to 系统设置 → 柜员账户 (the first tab there). It asks once per
 * visit to the board; nobody else sees it, since only the admin can open accounts. It takes no focus: the
 * board's keys (F2, ↑/↓, Enter) keep working under it.
 */
export function FirstRunGuide() {
  const { t } = useTranslation();
  const actor = useActor();
  const navigation = useNavigation();
  const [noStaff, setNoStaff] = useState(false);
  const onBoard = navigation.view.screen === 'board';

  useEffect(() => {
    if (actor.role !== 'admin' || !onBoard) return;
    let live = true;
    void call('tellers.list', {}).then((result) => {
      if (!live || !result.ok) return;
      setNoStaff(!result.value.tellers.some((teller) => teller.role !== 'admin' && !teller.disabled));
    });
    return () => {
      live = false;
      // Asked again on the next visit to the board: an answer from before is not shown meanwhile.
      setNoStaff(false);
    };
  }, [actor.role, onBoard]);

  if (actor.role !== 'admin' || !onBoard || !noStaff) return null;
  return (
    <Alert
      type="info"
      showIcon
      className="first-run-guide"
      data-testid="first-run-guide"
      title={t('firstRun.title')}
      description={t('firstRun.body')}
      action={
        <Button type="primary" onClick={() => navigation.go({ screen: 'settings' })}>
          {t('firstRun.go')}
        </Button>
      }
    />
  );
}
