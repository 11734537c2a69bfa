import type { ApplicationDetail } from '../../../../shared';

/**
 * SLOT — 打印回执 (issue the slip). The contract has no slip method yet; the button that prints the
 * 业务受理回执 and moves the request to `completed` goes here once it does. Deliberately renders nothing:
 * a button that cannot work would mislead the teller.
 */
export function IssueSlipSlot(_props: { application: ApplicationDetail }) {
  return null;
}
