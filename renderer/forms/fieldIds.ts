/** The DOM id of a form field from its path ('applicant.documentNumber' → 'f-applicant-documentNumber'). */
export function fieldId(path: string): string {
  return `f-${path.replaceAll('.', '-')}`;
}

/** The id of the text under a field (error, warning or hint), for aria-describedby. */
export function fieldHelpId(path: string): string {
  return `${fieldId(path)}-help`;
}
