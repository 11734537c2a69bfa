// A request claims `chip` only with a read the core made itself in the same window, whose facts it still
// carries (issue 14). The renderer cannot claim a read: it can only name one the core holds.
import { normalizeKeyed, normalizePersonName, type ApplicationInput } from '../../../shared';
import { DomainError } from '../rpc/domainError';
import type { ChipEvidence } from './chipRead';
import type { ChipCardFacts } from './textBlock';
import type { CardReaderService } from './readerService';

type Applicant = ApplicationInput['applicant'];

/** Whether the request's applicant is the person the chip described, field by field. */
export function applicantMatchesChip(applicant: Applicant, facts: ChipCardFacts): boolean {
  return (
    applicant.documentType === facts.documentType &&
    normalizeKeyed(applicant.documentNumber) === facts.documentNumber &&
    normalizePersonName(applicant.name) === normalizePersonName(facts.name) &&
    applicant.documentExpiry === facts.validTo &&
    (applicant.birthDate === undefined || applicant.birthDate === facts.birthDate) &&
    (applicant.sex === undefined || applicant.sex === facts.sex)
  );
}

function sameIdentity(a: Applicant, b: Applicant): boolean {
  return (
    a.documentType === b.documentType &&
    normalizeKeyed(a.documentNumber) === normalizeKeyed(b.documentNumber) &&
    normalizePersonName(a.name) === normalizePersonName(b.name) &&
    a.documentExpiry === b.documentExpiry &&
    a.birthDate === b.birthDate &&
    a.sex === b.sex
  );
}

// The form field the refusal belongs to (the verification method).
const METHOD_FIELD = 'verification.method';
const refused = (key: string): DomainError => new DomainError('VALIDATION', 'error.validation', { [METHOD_FIELD]: key });

/**
 * The evidence a request carries, or null for a keyed one. Throws VALIDATION when `chip` is claimed without
 * a read of this window, or with facts that differ from the read's.
 */
export function chipEvidenceFor(
  service: CardReaderService,
  sessionKey: string,
  request: ApplicationInput,
  previous: { request: ApplicationInput | null; chipEvidence: string | null },
): ChipEvidence | null {
  if (request.verification.method !== 'chip') return null;
  const readId = request.verification.chipReadId;
  if (readId === undefined) throw refused('verification.chip_read_required');
  const read = service.claim(sessionKey, readId);
  if (read !== null) {
    if (!applicantMatchesChip(request.applicant, read.facts)) throw refused('verification.chip_read_mismatch');
    return read.evidence;
  }
  // An edit after submit keeps the evidence of the read the request was made from, if the identity is unchanged.
  if (
    previous.chipEvidence !== null &&
    previous.request !== null &&
    previous.request.verification.chipReadId === readId &&
    sameIdentity(previous.request.applicant, request.applicant)
  ) {
    return JSON.parse(previous.chipEvidence) as ChipEvidence;
  }
  throw refused('verification.chip_read_required');
}
