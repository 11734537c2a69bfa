import type { IdDocumentType } from '../../shared';

/** Chinese names printed on slips and reports; the screens translate through i18n instead. */
export const DOCUMENT_TYPE_LABELS: Readonly<Record<IdDocumentType, string>> = {
  resident_id: '居民身份证',
  hmt_residence_permit: '港澳台居民居住证',
  foreign_permanent_resident: '外国人永久居留身份证',
  hk_mo_travel_permit: '港澳居民来往内地通行证',
  tw_travel_permit: '台湾居民来往大陆通行证',
  passport: '护照',
};
